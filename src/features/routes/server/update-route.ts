import type { Db } from "~/server/db";
import type { Actor } from "~/server/domain/actor";
import { invalidateOrgRoutes } from "~/server/routing/route-directory";
import type { UpdateRouteInput } from "../schemas";
import { changeRouteRow } from "./change-route-row";
import { warningContext, type RouteEnvironment } from "./route-context";
import {
  findOrgRoute,
  isRouteNameConflict,
  nameTaken,
  routeNotFound,
  staleVersion,
} from "./route-rules";
import { toRouteView, type RouteView } from "./route-view";
import { routeWarnings } from "./route-warnings";

/**
 * Changes a route's definition and/or whether it is enabled. `input.version` is the version the
 * edit was made from: if the route changed since, the edit is refused (CONFLICT) rather than
 * silently overwriting someone else's change.
 */
export async function updateRoute(
  db: Db,
  args: { orgId: string; actor: Actor; input: UpdateRouteInput; env?: RouteEnvironment },
): Promise<{ route: RouteView; changed: boolean; warnings: string[] }> {
  const { orgId, input } = args;
  const { row, changed } = await db
    .transaction(async (tx) => {
      const current = await findOrgRoute(tx, orgId, input.id);
      if (!current) throw routeNotFound();
      if (current.version !== input.version) {
        throw staleVersion(current.name, current.version, input.version);
      }
      return changeRouteRow(tx, {
        orgId,
        actor: args.actor,
        current,
        definition: input.definition,
        enabled: input.enabled,
      });
    })
    .catch((err: unknown) => {
      if (isRouteNameConflict(err) && input.definition) throw nameTaken(input.definition.name);
      throw err;
    });
  if (changed) invalidateOrgRoutes(orgId);
  const context = input.definition ? await warningContext(db, orgId, args.env) : null;
  return {
    route: toRouteView(row),
    changed,
    warnings: context ? routeWarnings(row.definition, context) : [],
  };
}
