import type { Db } from "~/server/db";
import type { Actor } from "~/server/domain/actor";
import { invalidateOrgRoutes } from "~/server/routing/route-directory";
import type { SetRouteEnabledInput } from "../schemas";
import { changeRouteRow } from "./change-route-row";
import { findOrgRoute, routeNotFound, staleVersion } from "./route-rules";
import { toRouteView, type RouteView } from "./route-view";

/**
 * Enables or disables a route. A disabled route stays stored but is not served: its name is a
 * plain model name again (or the instance route of that name, if there is one).
 */
export async function setRouteEnabled(
  db: Db,
  args: { orgId: string; actor: Actor; input: SetRouteEnabledInput },
): Promise<RouteView> {
  const { orgId, input } = args;
  const { row, changed } = await db.transaction(async (tx) => {
    const current = await findOrgRoute(tx, orgId, input.id);
    if (!current) throw routeNotFound();
    if (input.version !== undefined && current.version !== input.version) {
      throw staleVersion(current.name, current.version, input.version);
    }
    return changeRouteRow(tx, { orgId, actor: args.actor, current, enabled: input.enabled });
  });
  if (changed) invalidateOrgRoutes(orgId);
  return toRouteView(row);
}
