import type { JobDefinition } from "./define-job";
import { pruneJobRunsJob } from "./housekeeping/prune-job-runs";
import { ingestFileJob } from "./knowledge/ingest-file";
import { MAINTENANCE_JOBS } from "./maintenance";

/** Every job Switchyard runs. Each job module adds its definition here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const JOBS: JobDefinition<any>[] = [ingestFileJob, ...MAINTENANCE_JOBS, pruneJobRunsJob];

export function jobById(id: string): JobDefinition<unknown> | undefined {
  return JOBS.find((job) => job.id === id);
}

export function jobsForEvent(name: string): JobDefinition<unknown>[] {
  return JOBS.filter((job) => "event" in job.trigger && job.trigger.event === name);
}
