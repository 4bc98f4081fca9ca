import type { BadgeTone } from "~/components/badge";

/** The run statuses (as in the job_runs table), for the client bundle without the schema. */
export const JOB_RUN_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

export const STATUS_TONE: Record<JobRunStatus, BadgeTone> = {
  queued: "neutral",
  running: "info",
  completed: "success",
  failed: "danger",
  cancelled: "warning",
};

/** `850 ms`, `12.4 s`, `3 min 5 s`, `2 h 10 min`. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1_000)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
