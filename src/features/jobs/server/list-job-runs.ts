import { and, desc, eq, isNull, or, type SQL } from "drizzle-orm";
import { env } from "~/env";
import { jobDriverKind, type JobDriverKind } from "~/jobs/job-driver";
import { jobById } from "~/jobs/registry";
import type { Db } from "~/server/db";
import { jobRuns } from "~/server/db/schema";
import { listJobRunsInput, type ListJobRunsInput } from "../schemas";
import { jobRunView, type JobRunView } from "./job-run-view";

export interface JobRunList {
  driver: JobDriverKind;
  runs: JobRunView[];
}

/**
 * The org's runs, newest first; with `includeInstance` (admins) also the instance-wide runs
 * (org_id null). Never another org's.
 */
export async function listJobRuns(
  db: Db,
  args: { orgId: string; includeInstance: boolean; input: ListJobRunsInput },
): Promise<JobRunList> {
  const input = listJobRunsInput.parse(args.input);
  const visible = args.includeInstance
    ? or(eq(jobRuns.orgId, args.orgId), isNull(jobRuns.orgId))
    : eq(jobRuns.orgId, args.orgId);
  const filters: SQL[] = [visible!];
  if (input.status) filters.push(eq(jobRuns.status, input.status));
  const rows = await db
    .select()
    .from(jobRuns)
    .where(and(...filters))
    .orderBy(desc(jobRuns.createdAt), desc(jobRuns.id))
    .limit(input.limit);
  return {
    driver: jobDriverKind(env()),
    runs: rows.map((row) => jobRunView(row, (id) => jobById(id)?.name)),
  };
}
