import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Db } from "~/server/db";
import { jobRuns, organizations, type JobRunStatus } from "~/server/db/schema";

export type JobRunRecord = typeof jobRuns.$inferSelect & { orgSlug: string | null };

/**
 * Every org's runs and the instance-wide ones, newest first, with full error text: for the CLI,
 * which administers the whole instance. The console goes through `listJobRuns` (one org).
 */
export async function listAllJobRuns(
  db: Db,
  args: { status?: JobRunStatus; limit: number },
): Promise<JobRunRecord[]> {
  const filters: SQL[] = [];
  if (args.status) filters.push(eq(jobRuns.status, args.status));
  const rows = await db
    .select({ run: jobRuns, orgSlug: organizations.slug })
    .from(jobRuns)
    .leftJoin(organizations, eq(organizations.id, jobRuns.orgId))
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(jobRuns.createdAt), desc(jobRuns.id))
    .limit(args.limit);
  return rows.map((r) => ({ ...r.run, orgSlug: r.orgSlug }));
}

/** One run by id (any org): what `jobs run --wait` polls. */
export async function getJobRun(
  db: Db,
  runId: string,
): Promise<typeof jobRuns.$inferSelect | null> {
  const [row] = await db.select().from(jobRuns).where(eq(jobRuns.id, runId)).limit(1);
  return row ?? null;
}
