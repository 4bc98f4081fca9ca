import type { RouteDefinition } from "~/gateway/routing/route-schema";
import type { Db } from "~/server/db";
import { routes } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { newRouteId } from "./route-rules";

/** Inserts a route (version 1) and audits it, inside the caller's transaction (create and apply). */
export async function insertRouteRow(
  tx: Db,
  args: {
    orgId: string;
    actor: Actor;
    definition: RouteDefinition;
    enabled: boolean;
    via?: string;
  },
): Promise<typeof routes.$inferSelect> {
  const { definition, enabled } = args;
  const [inserted] = await tx
    .insert(routes)
    .values({
      id: newRouteId(),
      orgId: args.orgId,
      name: definition.name,
      definition,
      enabled,
      createdBy: args.actor.label,
    })
    .returning();
  const targets = definition.targets.length;
  await recordAuditEvent(tx, {
    orgId: args.orgId,
    actor: args.actor,
    action: "route.create",
    targetType: "route",
    targetId: inserted!.id,
    summary: `Added route ${definition.name} (${definition.strategy}, ${targets} target${targets === 1 ? "" : "s"}${enabled ? "" : ", disabled"}${args.via ? `, via ${args.via}` : ""})`,
    changes: {
      version: 1,
      before: null,
      after: definition,
      enabled,
      ...(args.via ? { via: args.via } : {}),
    },
  });
  return inserted!;
}
