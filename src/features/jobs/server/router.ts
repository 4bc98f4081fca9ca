import { jobById } from "~/jobs/registry";
import { hasScope } from "~/server/auth/scopes";
import { createTRPCRouter, scopedProcedure } from "~/server/api/trpc";
import { listJobRunsInput, retryJobRunInput, runJobNowInput } from "../schemas";
import { jobRunView } from "./job-run-view";
import { listJobRuns } from "./list-job-runs";
import { listJobSchedules } from "./list-job-schedules";
import { retryJobRun } from "./retry-job-run";
import { runJobNow } from "./run-job-now";

export const jobsRouter = createTRPCRouter({
  // Instance-wide runs and schedules are operator matters: shown (read-only) to those who may run jobs.
  runs: scopedProcedure("jobs:read")
    .input(listJobRunsInput)
    .query(({ ctx, input }) =>
      listJobRuns(ctx.db, {
        orgId: ctx.org.id,
        includeInstance: hasScope(ctx.role, "jobs:run"),
        input,
      }),
    ),
  schedules: scopedProcedure("jobs:run").query(({ ctx }) => listJobSchedules(ctx.db)),
  retry: scopedProcedure("jobs:run")
    .input(retryJobRunInput)
    .mutation(({ ctx, input }) =>
      retryJobRun(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, runId: input.runId }),
    ),
  runNow: scopedProcedure("jobs:run")
    .input(runJobNowInput)
    .mutation(async ({ ctx, input }) => {
      const run = await runJobNow(ctx.db, {
        orgId: ctx.org.id,
        actor: ctx.actor,
        jobId: input.jobId,
      });
      return jobRunView(run, (id) => jobById(id)?.name);
    }),
});
