import type { Db } from "~/server/db";
import type { Actor } from "~/server/domain/actor";
import { invalidateOrgRoutes } from "~/server/routing/route-directory";
import type { CreateRouteInput } from "../schemas";
import { insertRouteRow } from "./insert-route-row";
import { warningContext, type RouteEnvironment } from "./route-context";
import { isRouteNameConflict, nameTaken } from "./route-rules";
import { toRouteView, type RouteView } from "./route-view";
import { routeWarnings } from "./route-warnings";

/** Adds a route to the org (version 1). Warnings say what the route hides or cannot reach yet. */
export async function createRoute(
  db: Db,
  args: { orgId: string; actor: Actor; input: CreateRouteInput; env?: RouteEnvironment },
): Promise<{ route: RouteView; warnings: string[] }> {
  const { orgId, input } = args;
  const definition = input.definition;
  const row = await db
    .transaction((tx) =>
      insertRouteRow(tx, { orgId, actor: args.actor, definition, enabled: input.enabled ?? true }),
    )
    .catch((err: unknown) => {
      if (isRouteNameConflict(err)) throw nameTaken(definition.name);
      throw err;
    });
  invalidateOrgRoutes(orgId);
  const context = await warningContext(db, orgId, args.env);
  return { route: toRouteView(row), warnings: context ? routeWarnings(definition, context) : [] };
}
