import { hostname } from "node:os";
import { and, asc, count, eq, gte, inArray, lt, lte, or, sql } from "drizzle-orm";
import { randomBase62 } from "~/lib/ids";
import { logger as baseLogger } from "~/lib/logger";
import type { Db } from "~/server/db";
import { jobRuns, jobSteps } from "~/server/db/schema";
import type { JobDefinition, JobLogger, JobStep } from "../define-job";
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffOptions } from "./backoff";
import { nextCronTick } from "./cron-schedule";
import { enqueueJobRun, type JobRunRow } from "./enqueue-job-run";

/**
 * The local job driver: runs queued `job_runs` in this process. Several processes may run it on
 * one database; a run is claimed by one of them (`FOR UPDATE SKIP LOCKED`) and held under a lease
 * that a heartbeat extends. A lease that expires (the process crashed or froze) lets another
 * process claim the run again; its completed steps are read back from `job_steps`, never re-run.
 */

export interface LocalDriverOptions {
  db: Db;
  /** The job definitions this process can run (default: the registry). */
  jobs: () => readonly JobDefinition<unknown>[];
  /** Injectable for tests; every timestamp the driver writes comes from here. */
  now?: () => Date;
  random?: () => number;
  /** How often to look for due runs and cron ticks when not nudged. */
  pollIntervalMs?: number;
  /** How long a claim holds without a heartbeat. */
  leaseMs?: number;
  /** How often a running run's lease is extended (default: a third of the lease). */
  heartbeatMs?: number;
  /** Runs executing at once in this process (bounded work on a small machine). */
  maxParallel?: number;
  backoff?: BackoffOptions;
  /** Names this process in `lease_owner` (default: host, pid and a random suffix). */
  instanceId?: string;
}

export interface LocalDriver {
  readonly instanceId: string;
  /** Starts polling and cron scheduling; returns at once. */
  start(): void;
  /** Asks for a poll soon (an event was just queued in this process). */
  nudge(): void;
  /**
   * One round: queues due cron ticks, claims due runs up to the free capacity and waits for
   * the runs it started. Tests drive the driver with this instead of `start()`.
   */
  poll(): Promise<void>;
  /**
   * Stops claiming, waits for running runs up to `deadlineMs`, then hands back the ones still
   * running (queued again, the interrupted try not counted) so another process resumes them.
   */
  stop(options?: { deadlineMs?: number }): Promise<void>;
}

const DEFAULTS = {
  pollIntervalMs: 1_000,
  leaseMs: 60_000,
  maxParallel: 2,
};
/** Missed ticks of a schedule queued per round at most (a cron never floods the queue). */
const MAX_TICKS_PER_ROUND = 3;

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message || err.name : String(err);
  return text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
}

/** Failures that retrying cannot fix (Inngest's `NonRetriableError` follows the same convention). */
function isNonRetriable(err: unknown): boolean {
  return err instanceof Error && err.name === "NonRetriableError";
}

/** A JSON copy, as a step result would come back from storage (and from Inngest). */
function jsonRoundTrip<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function runLogger(jobId: string, runId: string): JobLogger {
  const fields = (extra?: Record<string, unknown>) => ({ job: jobId, run: runId, ...extra });
  return {
    info: (m, f) => baseLogger.info(m, fields(f)),
    warn: (m, f) => baseLogger.warn(m, fields(f)),
    error: (m, f) => baseLogger.error(m, fields(f)),
  };
}

export function createLocalDriver(options: LocalDriverOptions): LocalDriver {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULTS.pollIntervalMs;
  const leaseMs = options.leaseMs ?? DEFAULTS.leaseMs;
  const heartbeatMs = options.heartbeatMs ?? Math.max(50, Math.floor(leaseMs / 3));
  const maxParallel = options.maxParallel ?? DEFAULTS.maxParallel;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomBase62(6)}`;

  const inFlight = new Map<string, Promise<void>>();
  /** Per cron job: the last tick this process considered (ticks before start are not replayed). */
  const cronCursor = new Map<string, Date>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let stopping = false;
  let polling: Promise<void> | null = null;
  let pollAgain = false;

  const definitions = () => new Map(options.jobs().map((job) => [job.id, job]));

  async function enqueueCronTicks(at: Date): Promise<void> {
    for (const job of options.jobs()) {
      if (!("cron" in job.trigger)) continue;
      const pattern = job.trigger.cron;
      let cursor = cronCursor.get(job.id);
      if (!cursor) {
        cronCursor.set(job.id, at);
        continue;
      }
      for (let i = 0; i < MAX_TICKS_PER_ROUND; i++) {
        const tick = nextCronTick(pattern, cursor);
        if (!tick || tick > at) break;
        // The unique (job, tick) index makes this a no-op on every instance but the first.
        await enqueueJobRun(db, {
          job,
          data: { cronTick: tick.toISOString() },
          orgId: null,
          trigger: "cron",
          cronTick: tick,
          at: tick,
        });
        cursor = tick;
      }
      // After a long pause, skip the backlog instead of replaying it tick by tick.
      const upcoming = nextCronTick(pattern, cursor);
      cronCursor.set(job.id, upcoming && upcoming <= at ? at : cursor);
    }
  }

  /** Claims up to `capacity` due runs of one job (respecting its concurrency) in one transaction. */
  async function claimRunsOf(
    job: JobDefinition<unknown>,
    capacity: number,
    at: Date,
  ): Promise<JobRunRow[]> {
    const limit = job.concurrency ?? ("cron" in job.trigger ? 1 : undefined);
    const due = and(
      eq(jobRuns.jobId, job.id),
      or(
        and(eq(jobRuns.status, "queued"), lte(jobRuns.nextAttemptAt, at)),
        and(eq(jobRuns.status, "running"), lt(jobRuns.leaseExpiresAt, at)),
      ),
    );
    return db.transaction(async (tx) => {
      let allowed = capacity;
      if (limit !== undefined) {
        // Serializes claims of this job across processes, so the count below stays true until
        // this transaction commits its claims.
        await tx.execute(
          sql`select pg_advisory_xact_lock(hashtext(${`switchyard-job:${job.id}`}))`,
        );
        const [active] = await tx
          .select({ n: count() })
          .from(jobRuns)
          .where(
            and(
              eq(jobRuns.jobId, job.id),
              eq(jobRuns.status, "running"),
              gte(jobRuns.leaseExpiresAt, at),
            ),
          );
        allowed = Math.min(capacity, limit - (active?.n ?? 0));
      }
      if (allowed <= 0) return [];
      const claimable = tx
        .select({ id: jobRuns.id })
        .from(jobRuns)
        .where(due)
        .orderBy(asc(jobRuns.nextAttemptAt))
        .limit(allowed)
        .for("update", { skipLocked: true });
      return tx
        .update(jobRuns)
        .set({
          status: "running",
          attempts: sql`${jobRuns.attempts} + 1`,
          leaseOwner: instanceId,
          leaseExpiresAt: new Date(at.getTime() + leaseMs),
          heartbeatAt: at,
          startedAt: sql`coalesce(${jobRuns.startedAt}, ${at.toISOString()}::timestamptz)`,
          updatedAt: at,
        })
        .where(inArray(jobRuns.id, claimable))
        .returning();
    });
  }

  async function claimDueRuns(at: Date): Promise<JobRunRow[]> {
    let capacity = maxParallel - inFlight.size;
    if (capacity <= 0) return [];
    const jobs = definitions();
    if (jobs.size === 0) return [];
    const dueJobIds = await db
      .selectDistinct({ jobId: jobRuns.jobId })
      .from(jobRuns)
      .where(
        and(
          inArray(jobRuns.jobId, [...jobs.keys()]),
          or(
            and(eq(jobRuns.status, "queued"), lte(jobRuns.nextAttemptAt, at)),
            and(eq(jobRuns.status, "running"), lt(jobRuns.leaseExpiresAt, at)),
          ),
        ),
      );
    const claimed: JobRunRow[] = [];
    // Shuffled so one busy job does not starve the others of this process's capacity.
    const order = dueJobIds.map((r) => r.jobId).sort(() => random() - 0.5);
    for (const jobId of order) {
      if (capacity <= 0) break;
      const runs = await claimRunsOf(jobs.get(jobId)!, capacity, at);
      capacity -= runs.length;
      claimed.push(...runs);
    }
    return claimed;
  }

  /** Writes that only the lease holder may make: a process that lost its lease changes nothing. */
  const ownedBy = (runId: string) =>
    and(eq(jobRuns.id, runId), eq(jobRuns.status, "running"), eq(jobRuns.leaseOwner, instanceId));

  async function finish(
    run: JobRunRow,
    outcome: { ok: true; output: unknown } | { ok: false; error: unknown },
  ): Promise<void> {
    const at = now();
    const startedAt = run.startedAt ?? at;
    const durationMs = Math.max(0, at.getTime() - startedAt.getTime());
    if (outcome.ok) {
      await db
        .update(jobRuns)
        .set({
          status: "completed",
          output: jsonRoundTrip(outcome.output) ?? null,
          error: null,
          finishedAt: at,
          durationMs,
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: at,
        })
        .where(ownedBy(run.id));
      return;
    }
    const error = errorText(outcome.error);
    if (run.attempts < run.maxAttempts && !isNonRetriable(outcome.error)) {
      const delay = retryDelayMs(run.attempts, backoff, random);
      await db
        .update(jobRuns)
        .set({
          status: "queued",
          error,
          nextAttemptAt: new Date(at.getTime() + delay),
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: at,
        })
        .where(ownedBy(run.id));
      return;
    }
    await db
      .update(jobRuns)
      .set({
        status: "failed",
        error,
        finishedAt: at,
        durationMs,
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: at,
      })
      .where(ownedBy(run.id));
  }

  async function stepTools(runId: string, lease: { lost: boolean }): Promise<JobStep> {
    const done = new Map(
      (
        await db
          .select({ stepId: jobSteps.stepId, output: jobSteps.output })
          .from(jobSteps)
          .where(eq(jobSteps.runId, runId))
      ).map((s) => [s.stepId, s.output]),
    );
    const seen = new Map<string, number>();
    return {
      async run<T>(id: string, fn: () => Promise<T> | T): Promise<T> {
        // A repeated id gets a suffix (as Inngest does), so a loop of `step.run("x")` memoizes
        // each iteration on its own.
        const n = (seen.get(id) ?? 0) + 1;
        seen.set(id, n);
        const key = n === 1 ? id : `${id}:${n}`;
        const stored = done.get(key);
        if (stored) return stored.value as T;
        // Another process took the run over (this one froze past its lease): its steps are
        // theirs to run now.
        if (lease.lost)
          throw new Error("This process lost the run's lease; another one resumes it.");
        const value = jsonRoundTrip(await fn());
        await db
          .insert(jobSteps)
          .values({ runId, stepId: key, output: { value }, completedAt: now() })
          .onConflictDoNothing();
        done.set(key, { value });
        return value;
      },
    };
  }

  async function execute(run: JobRunRow, job: JobDefinition<unknown> | undefined): Promise<void> {
    if (!job) {
      await finish(run, { ok: false, error: new Error(`No job "${run.jobId}" in this version.`) });
      return;
    }
    // A claim after a crash counts as a try: a handler that takes its process down every time
    // must not be claimed forever.
    if (run.attempts > run.maxAttempts) {
      await finish(run, {
        ok: false,
        error: new Error(
          `Gave up after ${run.maxAttempts} tries; the last one was interrupted (${run.error ?? "the process running it stopped"}).`,
        ),
      });
      return;
    }
    const lease = { lost: false };
    const heartbeat = setInterval(() => {
      const at = now();
      void db
        .update(jobRuns)
        .set({ heartbeatAt: at, leaseExpiresAt: new Date(at.getTime() + leaseMs) })
        .where(ownedBy(run.id))
        .returning({ id: jobRuns.id })
        .then((rows) => {
          if (rows.length === 0) lease.lost = true;
        })
        .catch((err: unknown) =>
          baseLogger.warn("job heartbeat failed", { run: run.id, error: errorText(err) }),
        );
    }, heartbeatMs);
    heartbeat.unref?.();
    try {
      const step = await stepTools(run.id, lease);
      const handler = await job.handler();
      const output = await handler({
        event: { id: run.eventId ?? run.id, name: eventName(job), data: run.data },
        step,
        runId: run.id,
        attempt: run.attempts,
        logger: runLogger(job.id, run.id),
      });
      await finish(run, { ok: true, output });
    } catch (err) {
      baseLogger.warn("job try failed", {
        job: job.id,
        run: run.id,
        attempt: run.attempts,
        error: errorText(err),
      });
      await finish(run, { ok: false, error: err });
    } finally {
      clearInterval(heartbeat);
    }
  }

  function eventName(job: JobDefinition<unknown>): string {
    return "event" in job.trigger ? job.trigger.event : `cron/${job.id}`;
  }

  function launch(run: JobRunRow, job: JobDefinition<unknown> | undefined): Promise<void> {
    const promise = execute(run, job)
      .catch((err: unknown) =>
        baseLogger.error("job run could not be recorded", { run: run.id, error: errorText(err) }),
      )
      .finally(() => {
        inFlight.delete(run.id);
        // Capacity freed: look for more work now rather than at the next interval.
        if (running && !stopping) schedule(0);
      });
    inFlight.set(run.id, promise);
    return promise;
  }

  async function round(): Promise<Promise<void>[]> {
    const at = now();
    await enqueueCronTicks(at);
    const jobs = definitions();
    const claimed = stopping ? [] : await claimDueRuns(at);
    return claimed.map((run) => launch(run, jobs.get(run.jobId)));
  }

  function schedule(delayMs: number): void {
    if (!running || stopping) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (polling) {
        // A nudge during a round: look again as soon as it ends, not a whole interval later.
        pollAgain = true;
        return;
      }
      polling = round()
        .then(() => undefined)
        .catch((err: unknown) => baseLogger.warn("job poll failed", { error: errorText(err) }))
        .finally(() => {
          polling = null;
          const again = pollAgain;
          pollAgain = false;
          schedule(again ? 0 : pollIntervalMs);
        });
    }, delayMs);
    timer.unref?.();
  }

  return {
    instanceId,
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    nudge() {
      if (running && !stopping) schedule(0);
    },
    async poll() {
      await Promise.all(await round());
    },
    async stop({ deadlineMs = 10_000 } = {}) {
      stopping = true;
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await polling;
      let deadline: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all(inFlight.values()),
        new Promise((resolve) => (deadline = setTimeout(resolve, deadlineMs))),
      ]);
      clearTimeout(deadline);
      if (inFlight.size === 0) return;
      const at = now();
      await db
        .update(jobRuns)
        .set({
          status: "queued",
          attempts: sql`greatest(${jobRuns.attempts} - 1, 0)`,
          nextAttemptAt: at,
          leaseOwner: null,
          leaseExpiresAt: null,
          updatedAt: at,
        })
        .where(
          and(
            inArray(jobRuns.id, [...inFlight.keys()]),
            eq(jobRuns.status, "running"),
            eq(jobRuns.leaseOwner, instanceId),
          ),
        );
    },
  };
}
