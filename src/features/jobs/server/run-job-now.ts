import { and, eq, inArray } from "drizzle-orm";
import { runningLocalDriver } from "~/jobs/job-driver";
import { enqueueJobRun, type JobRunRow } from "~/jobs/local/enqueue-job-run";
import { jobById } from "~/jobs/registry";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import type { Db } from "~/server/db";
import { jobRuns } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";

/**
 * Queues a run of a scheduled (instance-wide) job now, outside its schedule. One at a time: while
 * a run of it is queued or running, asking again is a conflict rather than a second run.
 * `orgId` (console) records who asked in that org's audit log; the CLI passes none.
 */
export async function runJobNow(
  db: Db,
  args: {
    orgId: string | null;
    actor: Actor;
    jobId: string;
    data?: unknown;
    allowEventJobs?: boolean;
  },
): Promise<JobRunRow> {
  const job = jobById(args.jobId);
  if (!job) throw new DomainError("NOT_FOUND", `There is no job "${args.jobId}".`);
  if (!("cron" in job.trigger) && !args.allowEventJobs) {
    throw new DomainError(
      "BAD_REQUEST",
      `"${job.id}" runs on events, not on a schedule: it cannot be run by hand here.`,
    );
  }
  const run = await db.transaction(async (tx) => {
    const [pending] = await tx
      .select({ id: jobRuns.id, status: jobRuns.status })
      .from(jobRuns)
      .where(and(eq(jobRuns.jobId, job.id), inArray(jobRuns.status, ["queued", "running"])))
      .limit(1);
    if (pending && "cron" in job.trigger) {
      throw new DomainError("CONFLICT", `${job.name} is already ${pending.status}.`);
    }
    const run = await enqueueJobRun(tx, {
      job,
      data: args.data ?? {},
      orgId: null,
      trigger: "manual",
    });
    if (args.orgId) {
      await recordAuditEvent(tx, {
        orgId: args.orgId,
        actor: args.actor,
        action: "job.run",
        targetType: "job",
        targetId: job.id,
        summary: `Ran ${job.name} now`,
      });
    }
    return run!;
  });
  runningLocalDriver()?.nudge();
  return run;
}
