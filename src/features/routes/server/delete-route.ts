import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { routes } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgRoutes } from "~/server/routing/route-directory";
import type { DeleteRouteInput } from "../schemas";
import { routeNotFound, staleVersion } from "./route-rules";

/**
 * Removes one of the org's routes, by id (console) or name (CLI). With `version`, a route changed
 * since is not deleted (CONFLICT). The audit entry keeps the last definition, so it can be restored.
 */
export async function deleteRoute(
  db: Db,
  args: { orgId: string; actor: Actor; input: DeleteRouteInput },
): Promise<{ id: string; name: string }> {
  const { orgId, input } = args;
  const deleted = await db.transaction(async (tx) => {
    const match =
      input.id !== undefined ? eq(routes.id, input.id) : eq(routes.name, input.name ?? "");
    const [current] = await tx
      .select()
      .from(routes)
      .where(and(eq(routes.orgId, orgId), match))
      .limit(1);
    if (!current) {
      if (input.id !== undefined) throw routeNotFound();
      throw new DomainError("NOT_FOUND", `This organization has no route named "${input.name}".`);
    }
    if (input.version !== undefined && current.version !== input.version) {
      throw staleVersion(current.name, current.version, input.version);
    }
    const [row] = await tx
      .delete(routes)
      .where(
        and(
          eq(routes.id, current.id),
          eq(routes.orgId, orgId),
          eq(routes.version, current.version),
        ),
      )
      .returning({ id: routes.id, name: routes.name });
    if (!row) throw staleVersion(current.name, null, current.version);
    await recordAuditEvent(tx, {
      orgId,
      actor: args.actor,
      action: "route.delete",
      targetType: "route",
      targetId: row.id,
      summary: `Deleted route ${row.name} (was version ${current.version})`,
      changes: {
        version: current.version,
        before: current.definition,
        after: null,
        enabled: current.enabled,
      },
    });
    return row;
  });
  invalidateOrgRoutes(orgId);
  return deleted;
}
