import { defineJob } from "../define-job";

/** Finished runs (and their steps and events) are kept this long, then pruned. */
export const JOB_RUN_RETENTION_DAYS = 30;

/** Daily: keeps the local driver's tables bounded (old finished runs, their steps and events). */
export const pruneJobRunsJob = defineJob({
  id: "jobs/prune-job-runs",
  name: "Jobs: prune finished runs",
  trigger: { cron: "40 3 * * *" },
  retries: 2,
  handler: () => import("./prune-job-runs.handler").then((m) => m.default),
});
