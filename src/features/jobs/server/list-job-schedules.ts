import { and, desc, eq } from "drizzle-orm";
import { nextCronTick } from "~/jobs/local/cron-schedule";
import { JOBS } from "~/jobs/registry";
import type { Db } from "~/server/db";
import { jobRuns, type JobRunStatus } from "~/server/db/schema";

export interface JobScheduleView {
  jobId: string;
  name: string;
  cron: string;
  /** Computed from the expression (UTC); null when it has no further tick. */
  nextRunAt: Date | null;
  lastRun: { id: string; status: JobRunStatus; createdAt: Date; finishedAt: Date | null } | null;
}

/** The instance's scheduled jobs with their next tick and latest run. */
export async function listJobSchedules(
  db: Db,
  args: { now?: Date } = {},
): Promise<JobScheduleView[]> {
  const now = args.now ?? new Date();
  const crons = JOBS.filter((job) => "cron" in job.trigger);
  return Promise.all(
    crons.map(async (job) => {
      const cron = (job.trigger as { cron: string }).cron;
      const [last] = await db
        .select({
          id: jobRuns.id,
          status: jobRuns.status,
          createdAt: jobRuns.createdAt,
          finishedAt: jobRuns.finishedAt,
        })
        .from(jobRuns)
        .where(and(eq(jobRuns.jobId, job.id)))
        .orderBy(desc(jobRuns.createdAt))
        .limit(1);
      let nextRunAt: Date | null = null;
      try {
        nextRunAt = nextCronTick(cron, now);
      } catch {
        nextRunAt = null;
      }
      return { jobId: job.id, name: job.name, cron, nextRunAt, lastRun: last ?? null };
    }),
  );
}
