import { and, eq, inArray } from "drizzle-orm";
import { runningLocalDriver } from "~/jobs/job-driver";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import type { Db } from "~/server/db";
import { jobRuns } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";

/**
 * Queues a failed (or cancelled) run of the org again, with a fresh set of tries. Its completed
 * steps stay done: the retry resumes where the run failed. Instance runs are not the org's to retry.
 */
export async function retryJobRun(
  db: Db,
  args: { orgId: string; actor: Actor; runId: string },
): Promise<{ id: string; status: "queued" }> {
  const at = new Date();
  await db.transaction(async (tx) => {
    const [run] = await tx
      .select({ id: jobRuns.id, status: jobRuns.status, jobId: jobRuns.jobId })
      .from(jobRuns)
      .where(and(eq(jobRuns.id, args.runId), eq(jobRuns.orgId, args.orgId)))
      .limit(1);
    if (!run) throw new DomainError("NOT_FOUND", "Job run not found.");
    const [updated] = await tx
      .update(jobRuns)
      .set({
        status: "queued",
        attempts: 0,
        nextAttemptAt: at,
        finishedAt: null,
        durationMs: null,
        error: null,
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: at,
      })
      .where(and(eq(jobRuns.id, run.id), inArray(jobRuns.status, ["failed", "cancelled"])))
      .returning({ id: jobRuns.id });
    if (!updated) {
      throw new DomainError(
        "CONFLICT",
        `Only failed or cancelled runs can be retried (this one is ${run.status}).`,
      );
    }
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "job_run.retry",
      targetType: "job_run",
      targetId: run.id,
      summary: `Retried a run of ${run.jobId}`,
    });
  });
  runningLocalDriver()?.nudge();
  return { id: args.runId, status: "queued" };
}
