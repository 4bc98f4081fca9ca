import { and, eq, sql } from "drizzle-orm";
import type { RouteDefinition } from "~/gateway/routing/route-schema";
import type { Db } from "~/server/db";
import { routes } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { canonicalJson } from "../route-validation";
import { staleVersion } from "./route-rules";

type RouteRow = typeof routes.$inferSelect;

/**
 * Writes a change to a route row loaded in the same transaction (shared by update, enable/disable
 * and apply; not a domain function itself). Nothing changes → nothing is written, no version is
 * used up. The row is only updated while it still has the version it was read at, so two edits
 * racing from the same version cannot both land. Every change is audited with the definition
 * before and after and the version it produced: the audit log is the route's history.
 */
export async function changeRouteRow(
  tx: Db,
  args: {
    orgId: string;
    actor: Actor;
    current: RouteRow;
    definition?: RouteDefinition;
    enabled?: boolean;
    /** How the change was made, when not by editing the route itself (`apply`). */
    via?: string;
  },
): Promise<{ row: RouteRow; changed: boolean }> {
  const { current, definition, enabled } = args;
  const definitionChanged =
    definition !== undefined && canonicalJson(definition) !== canonicalJson(current.definition);
  const enabledChanged = enabled !== undefined && enabled !== current.enabled;
  if (!definitionChanged && !enabledChanged) return { row: current, changed: false };

  const [updated] = await tx
    .update(routes)
    .set({
      ...(definitionChanged ? { definition, name: definition.name } : {}),
      ...(enabledChanged ? { enabled } : {}),
      version: sql`${routes.version} + 1`,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(routes.id, current.id),
        eq(routes.orgId, args.orgId),
        eq(routes.version, current.version),
      ),
    )
    .returning();
  if (!updated) throw staleVersion(current.name, null, current.version);

  const renamed = definitionChanged && definition.name !== current.name;
  const action = definitionChanged ? "route.update" : enabled ? "route.enable" : "route.disable";
  const what: string[] = [];
  if (renamed) what.push(`renamed from ${current.name}`);
  else if (definitionChanged) what.push("definition");
  if (enabledChanged) what.push(enabled ? "enabled" : "disabled");
  await recordAuditEvent(tx, {
    orgId: args.orgId,
    actor: args.actor,
    action,
    targetType: "route",
    targetId: current.id,
    summary: `${definitionChanged ? "Updated" : enabled ? "Enabled" : "Disabled"} route ${updated.name} (${what.join(", ")}; version ${updated.version}${args.via ? `, via ${args.via}` : ""})`,
    changes: {
      version: updated.version,
      ...(definitionChanged ? { before: current.definition, after: definition } : {}),
      ...(enabledChanged ? { enabled: { from: current.enabled, to: enabled } } : {}),
      ...(args.via ? { via: args.via } : {}),
    },
  });
  return { row: updated, changed: true };
}
