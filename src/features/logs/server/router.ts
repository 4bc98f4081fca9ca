import { createTRPCRouter, scopedProcedure } from "~/server/api/trpc";
import { getOrgSettings } from "~/server/org-settings/get-org-settings";
import { updateOrgSettings } from "~/server/org-settings/update-org-settings";
import { listLogsInput, logIdInput, updateLogSettingsInput } from "../schemas";
import { getRequestLog } from "./get-request-log";
import { listLogFilters } from "./list-log-filters";
import { listRequestLogs } from "./list-request-logs";

export const logsRouter = createTRPCRouter({
  list: scopedProcedure("logs:read")
    .input(listLogsInput)
    .query(({ ctx, input }) => listRequestLogs(ctx.db, { orgId: ctx.org.id, input })),
  get: scopedProcedure("logs:read")
    .input(logIdInput)
    .query(({ ctx, input }) => getRequestLog(ctx.db, { orgId: ctx.org.id, input })),
  filters: scopedProcedure("logs:read").query(({ ctx }) => listLogFilters(ctx.db, { orgId: ctx.org.id })),
  settings: scopedProcedure("logs:read").query(({ ctx }) => getOrgSettings(ctx.db, { orgId: ctx.org.id })),
  updateSettings: scopedProcedure("settings:update")
    .input(updateLogSettingsInput)
    .mutation(({ ctx, input }) => updateOrgSettings(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
});
