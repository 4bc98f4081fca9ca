import { createTRPCRouter, scopedProcedure } from "~/server/api/trpc";
import { listAuditInput } from "../schemas";
import { listAuditActions } from "./list-audit-actions";
import { listAuditEvents } from "./list-audit-events";

export const auditRouter = createTRPCRouter({
  list: scopedProcedure("audit:read")
    .input(listAuditInput)
    .query(({ ctx, input }) => listAuditEvents(ctx.db, { orgId: ctx.org.id, input })),
  actions: scopedProcedure("audit:read").query(({ ctx }) => listAuditActions(ctx.db, { orgId: ctx.org.id })),
});
