import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { routes } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import {
  processRouteTrialRunner,
  type RouteTrialResult,
  type RouteTrialRunner,
} from "~/server/routing/route-trial";
import type { TryRouteInput } from "../schemas";
import { resolveEnvironment, type RouteEnvironment } from "./route-context";

/** A trial answer is a sample: kept short unless asked otherwise. */
const DEFAULT_MAX_TOKENS = 256;

/**
 * Sends a sample prompt to one of the org's routes (its own or an instance route) through the real
 * gateway, and reports which target answered and every attempt made. It is real traffic: it uses
 * the org's providers and counts in its request logs and costs.
 */
export async function tryRoute(
  db: Db,
  args: {
    orgId: string;
    actor: Actor;
    input: TryRouteInput;
    runner?: RouteTrialRunner;
    env?: RouteEnvironment;
  },
): Promise<RouteTrialResult & { route: string }> {
  const { orgId, input } = args;
  const [own] = await db
    .select({ enabled: routes.enabled })
    .from(routes)
    .where(and(eq(routes.orgId, orgId), eq(routes.name, input.name)))
    .limit(1);
  if (own && !own.enabled) {
    throw new DomainError(
      "BAD_REQUEST",
      `Route "${input.name}" is disabled: enable it to try it (a disabled route is not served).`,
    );
  }
  if (!own) {
    const instance = resolveEnvironment(db, args.env).instanceRoutes();
    if (!instance.some((r) => r.name === input.name)) {
      throw new DomainError("NOT_FOUND", `This organization has no route named "${input.name}".`);
    }
  }
  const runner = args.runner ?? (await processRouteTrialRunner());
  const result = await runner.run({
    orgId,
    model: input.name,
    prompt: input.prompt,
    maxTokens: input.maxTokens ?? DEFAULT_MAX_TOKENS,
    actorLabel: args.actor.label,
  });
  return { ...result, route: input.name };
}
