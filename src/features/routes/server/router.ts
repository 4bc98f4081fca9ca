import { createTRPCRouter, scopedProcedure } from "~/server/api/trpc";
import {
  applyRoutesInput,
  createRouteInput,
  deleteRouteInput,
  routeIdInput,
  setRouteEnabledInput,
  tryRouteInput,
  updateRouteInput,
} from "../schemas";
import { applyRoutes } from "./apply-routes";
import { createRoute } from "./create-route";
import { deleteRoute } from "./delete-route";
import { getRoute } from "./get-route";
import { listRouteBreakers } from "./list-route-breakers";
import { listRoutes } from "./list-routes";
import { setRouteEnabled } from "./set-route-enabled";
import { tryRoute } from "./try-route";
import { updateRoute } from "./update-route";

export const routesRouter = createTRPCRouter({
  list: scopedProcedure("routes:read").query(({ ctx }) =>
    listRoutes(ctx.db, { orgId: ctx.org.id }),
  ),
  get: scopedProcedure("routes:read")
    .input(routeIdInput)
    .query(({ ctx, input }) => getRoute(ctx.db, { orgId: ctx.org.id, input })),
  breakers: scopedProcedure("routes:read").query(({ ctx }) =>
    listRouteBreakers({ orgId: ctx.org.id }),
  ),
  create: scopedProcedure("routes:write")
    .input(createRouteInput)
    .mutation(({ ctx, input }) =>
      createRoute(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  update: scopedProcedure("routes:write")
    .input(updateRouteInput)
    .mutation(({ ctx, input }) =>
      updateRoute(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  setEnabled: scopedProcedure("routes:write")
    .input(setRouteEnabledInput)
    .mutation(({ ctx, input }) =>
      setRouteEnabled(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  delete: scopedProcedure("routes:write")
    .input(deleteRouteInput)
    .mutation(({ ctx, input }) =>
      deleteRoute(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  applyDocument: scopedProcedure("routes:write")
    .input(applyRoutesInput)
    .mutation(({ ctx, input }) =>
      applyRoutes(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  // Real upstream calls on the org's credentials: the same people who configure routes.
  try: scopedProcedure("routes:write")
    .input(tryRouteInput)
    .mutation(({ ctx, input }) => tryRoute(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
});
