import { createTRPCRouter, scopedProcedure } from "~/server/api/trpc";
import { securityOverviewInput } from "../schemas";
import { getSecurityOverview } from "./get-security-overview";

export const securityRouter = createTRPCRouter({
  overview: scopedProcedure("security:read")
    .input(securityOverviewInput)
    .query(({ ctx, input }) => getSecurityOverview(ctx.db, { orgId: ctx.org.id, range: input.range })),
});
