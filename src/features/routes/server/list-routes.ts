import { asc, eq } from "drizzle-orm";
import { modelIdsForKey } from "~/gateway/models/model-index";
import type { Db } from "~/server/db";
import { routes } from "~/server/db/schema";
import { resolveEnvironment, type RouteEnvironment } from "./route-context";
import { toRouteView, type InstanceRouteView, type RouteView } from "./route-view";
import { ANY_KEY } from "./route-warnings";

/** How many model ids the list offers as target suggestions. */
const MODEL_SUGGESTIONS_MAX = 1_000;

/**
 * The org's routes (enabled or not, by name) and the config file's routes, plus the model ids
 * the org can reach (suggestions for targets; empty when the provider list is unavailable).
 */
export async function listRoutes(
  db: Db,
  args: {
    orgId: string;
    /** `models: false` skips the suggestions (and the provider lookup behind them). */
    input?: { models?: boolean };
    env?: RouteEnvironment;
  },
): Promise<{ org: RouteView[]; instance: InstanceRouteView[]; models: string[] }> {
  const env = resolveEnvironment(db, args.env);
  const rows = await db
    .select()
    .from(routes)
    .where(eq(routes.orgId, args.orgId))
    .orderBy(asc(routes.name))
    .limit(1000);
  const own = new Set(rows.filter((r) => r.enabled).map((r) => r.name));
  let models: string[] = [];
  if (args.input?.models !== false) {
    try {
      const providers = await env.providers.listForOrg(args.orgId);
      models = modelIdsForKey(providers, ANY_KEY)
        .map((m) => m.id)
        .slice(0, MODEL_SUGGESTIONS_MAX);
    } catch {
      // Suggestions only: the list works without them.
    }
  }
  return {
    org: rows.map(toRouteView),
    instance: env.instanceRoutes().map((definition) => ({
      name: definition.name,
      definition,
      overridden: own.has(definition.name),
    })),
    models,
  };
}
