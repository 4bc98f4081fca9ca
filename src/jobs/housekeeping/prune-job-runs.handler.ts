import { and, inArray, lt, notExists, eq } from "drizzle-orm";
import { getDb, type Db } from "~/server/db";
import { jobEvents, jobRuns } from "~/server/db/schema";
import type { JobHandler } from "../define-job";
import { JOB_RUN_RETENTION_DAYS } from "./prune-job-runs";

/** Deletes finished runs older than the retention (steps go with them) and events left without runs. */
export async function pruneJobRuns(db: Db, now: Date): Promise<{ runs: number; events: number }> {
  const cutoff = new Date(now.getTime() - JOB_RUN_RETENTION_DAYS * 86_400_000);
  const runs = await db
    .delete(jobRuns)
    .where(
      and(
        inArray(jobRuns.status, ["completed", "failed", "cancelled"]),
        lt(jobRuns.finishedAt, cutoff),
      ),
    )
    .returning({ id: jobRuns.id });
  const events = await db
    .delete(jobEvents)
    .where(
      and(
        lt(jobEvents.createdAt, cutoff),
        notExists(
          db.select({ id: jobRuns.id }).from(jobRuns).where(eq(jobRuns.eventId, jobEvents.id)),
        ),
      ),
    )
    .returning({ id: jobEvents.id });
  return { runs: runs.length, events: events.length };
}

const handler: JobHandler<unknown> = async ({ step, logger }) => {
  const db = await getDb();
  const now = new Date(await step.run("clock", () => new Date().toISOString()));
  const pruned = await step.run("prune", () => pruneJobRuns(db, now));
  logger.info("old job runs pruned", pruned);
  return pruned;
};

export default handler;
