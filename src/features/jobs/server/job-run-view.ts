import type { jobRuns } from "~/server/db/schema";

export interface JobRunView {
  id: string;
  jobId: string;
  jobName: string;
  /** Instance-wide (maintenance, crons): shown to org admins read-only. */
  instance: boolean;
  trigger: "event" | "cron" | "manual";
  status: "queued" | "running" | "completed" | "failed" | "cancelled";
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  /** An instance run's error may name other orgs' data: it stays in the server log and the CLI. */
  error: string | null;
  createdAt: Date;
}

export function jobRunView(
  row: typeof jobRuns.$inferSelect,
  jobName: (id: string) => string | undefined,
): JobRunView {
  const instance = row.orgId === null;
  return {
    id: row.id,
    jobId: row.jobId,
    jobName: jobName(row.jobId) ?? row.jobId,
    instance,
    trigger: row.trigger,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.maxAttempts,
    nextAttemptAt: row.nextAttemptAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    durationMs: row.durationMs,
    error:
      row.error === null
        ? null
        : instance
          ? "The instance job failed; an operator can read the error with `switchyard jobs list`."
          : row.error,
    createdAt: row.createdAt,
  };
}
