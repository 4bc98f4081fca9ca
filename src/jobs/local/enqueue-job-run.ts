import { eq } from "drizzle-orm";
import { randomBase62 } from "~/lib/ids";
import type { Db } from "~/server/db";
import { jobEvents, jobRuns, type JobRunTrigger } from "~/server/db/schema";
import type { JobDefinition } from "../define-job";

export type JobRunRow = typeof jobRuns.$inferSelect;

export const newJobRunId = () => `run_${randomBase62(20)}`;
export const newJobEventId = () => `evt_${randomBase62(20)}`;

/** Default tries of a job: the first plus its retries (3 unless it says otherwise). */
export function maxAttemptsOf(job: Pick<JobDefinition<unknown>, "retries">): number {
  return 1 + Math.max(0, job.retries ?? 3);
}

export interface EnqueueJobRunInput {
  job: Pick<JobDefinition<unknown>, "id" | "retries">;
  data: unknown;
  orgId: string | null;
  trigger: JobRunTrigger;
  eventId?: string | null;
  /** Cron runs only: the schedule tick, unique per job. */
  cronTick?: Date | null;
  /** When the run becomes due (default: now). */
  at?: Date;
}

/**
 * Queues one run. A cron tick that another instance already queued is not queued again: null
 * comes back then.
 */
export async function enqueueJobRun(db: Db, input: EnqueueJobRunInput): Promise<JobRunRow | null> {
  const at = input.at ?? new Date();
  const [row] = await db
    .insert(jobRuns)
    .values({
      id: newJobRunId(),
      jobId: input.job.id,
      eventId: input.eventId ?? null,
      orgId: input.orgId,
      trigger: input.trigger,
      cronTick: input.cronTick ?? null,
      data: input.data ?? null,
      status: "queued",
      maxAttempts: maxAttemptsOf(input.job),
      nextAttemptAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

export interface PersistJobEventInput {
  name: string;
  data: unknown;
  orgId: string | null;
  idempotencyKey?: string;
  /** The jobs this event triggers: one run each. */
  jobs: Pick<JobDefinition<unknown>, "id" | "retries">[];
  at?: Date;
}

export interface PersistedJobEvent {
  eventId: string;
  runIds: string[];
  /** The idempotency key was seen before: nothing new was queued. */
  duplicate: boolean;
}

/** Stores an event and queues a run per job it triggers, all or nothing. */
export async function persistJobEvent(
  db: Db,
  input: PersistJobEventInput,
): Promise<PersistedJobEvent> {
  const at = input.at ?? new Date();
  return db.transaction(async (tx) => {
    const eventId = newJobEventId();
    const [inserted] = await tx
      .insert(jobEvents)
      .values({
        id: eventId,
        name: input.name,
        data: input.data ?? null,
        idempotencyKey: input.idempotencyKey ?? null,
        orgId: input.orgId,
        createdAt: at,
      })
      .onConflictDoNothing()
      .returning({ id: jobEvents.id });
    if (!inserted) {
      const [existing] = await tx
        .select({ id: jobEvents.id })
        .from(jobEvents)
        .where(eq(jobEvents.idempotencyKey, input.idempotencyKey!))
        .limit(1);
      const runs = existing
        ? await tx.select({ id: jobRuns.id }).from(jobRuns).where(eq(jobRuns.eventId, existing.id))
        : [];
      return { eventId: existing?.id ?? eventId, runIds: runs.map((r) => r.id), duplicate: true };
    }
    const runIds: string[] = [];
    for (const job of input.jobs) {
      const run = await enqueueJobRun(tx as unknown as Db, {
        job,
        data: input.data,
        orgId: input.orgId,
        trigger: "event",
        eventId,
        at,
      });
      if (run) runIds.push(run.id);
    }
    return { eventId, runIds, duplicate: false };
  });
}
