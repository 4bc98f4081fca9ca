import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineJob, type JobDefinition } from "~/jobs/define-job";
import { retryDelayMs } from "~/jobs/local/backoff";
import { enqueueJobRun, persistJobEvent } from "~/jobs/local/enqueue-job-run";
import { createLocalDriver, type LocalDriverOptions } from "~/jobs/local/local-driver";
import { sendJobEvent } from "~/jobs/send-job-event";
import type { DatabaseHandle } from "~/server/db";
import * as schema from "~/server/db/schema";
import { createTestDatabase } from "../helpers/db";

/*
 * The local job driver on PGlite: claims, step memoization, retries with backoff, idempotency,
 * crash-and-resume, cron ticks with two drivers, concurrency. Time is an injected clock, so
 * backoff and lease expiry are exact and instant.
 */

let handle: DatabaseHandle;
const db = () => handle.db;

beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

let seq = 0;
const uniqueId = (what: string) => `test/${what}-${Date.now().toString(36)}-${seq++}`;

/** A clock the test moves by hand. */
function manualClock(start = new Date("2026-03-02T10:00:00.000Z")) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => (t += ms),
    set: (d: Date) => (t = d.getTime()),
  };
}

function driverFor(jobs: JobDefinition<unknown>[], extra: Partial<LocalDriverOptions> = {}) {
  return createLocalDriver({
    db: db(),
    jobs: () => jobs,
    backoff: { baseMs: 1_000, maxMs: 60_000 },
    random: () => 0.5,
    instanceId: `test-${seq++}`,
    ...extra,
  });
}

async function runRow(id: string) {
  const [row] = await db().select().from(schema.jobRuns).where(eq(schema.jobRuns.id, id));
  return row!;
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("backoff", () => {
  it("doubles per try, caps, and jitters between half and all of the step", () => {
    const o = { baseMs: 1_000, maxMs: 5_000 };
    expect(retryDelayMs(1, o, () => 0)).toBe(500);
    expect(retryDelayMs(1, o, () => 1)).toBe(1_000);
    expect(retryDelayMs(2, o, () => 1)).toBe(2_000);
    expect(retryDelayMs(3, o, () => 1)).toBe(4_000);
    expect(retryDelayMs(10, o, () => 1)).toBe(5_000);
  });
});

describe("runs, steps and retries", () => {
  it("retries with backoff, never re-runs a completed step, and completes", async () => {
    const clock = manualClock();
    const calls = { first: 0, flaky: 0 };
    const job = defineJob<{ n: number }>({
      id: uniqueId("flaky"),
      name: "Flaky",
      trigger: { event: "test/flaky" },
      retries: 3,
      handler:
        async () =>
        async ({ step, event, attempt }) => {
          const a = await step.run("first", () => {
            calls.first++;
            return { doubled: event.data.n * 2 };
          });
          const b = await step.run("flaky", () => {
            calls.flaky++;
            if (attempt < 3) throw new Error(`boom on try ${attempt}`);
            return a.doubled + 1;
          });
          return { b };
        },
    });
    const driver = driverFor([job as JobDefinition<unknown>], { now: clock.now });
    const run = (await enqueueJobRun(db(), {
      job,
      data: { n: 20 },
      orgId: null,
      trigger: "manual",
      at: clock.now(),
    }))!;

    await driver.poll();
    let row = await runRow(run.id);
    expect(row.status).toBe("queued");
    expect(row.attempts).toBe(1);
    expect(row.error).toBe("boom on try 1");
    // First retry after baseMs·2⁰ with jitter 0.5 → 750 ms.
    expect(row.nextAttemptAt.getTime() - clock.now().getTime()).toBe(750);

    // Not due yet: nothing happens.
    clock.advance(700);
    await driver.poll();
    expect((await runRow(run.id)).attempts).toBe(1);

    clock.advance(50);
    await driver.poll();
    row = await runRow(run.id);
    expect(row.attempts).toBe(2);
    expect(row.nextAttemptAt.getTime() - clock.now().getTime()).toBe(1_500);

    clock.advance(1_500);
    await driver.poll();
    row = await runRow(run.id);
    expect(row.status).toBe("completed");
    expect(row.attempts).toBe(3);
    expect(row.output).toEqual({ b: 41 });
    expect(row.error).toBeNull();
    expect(row.finishedAt).not.toBeNull();
    expect(row.durationMs).toBe(2_250);
    expect(calls).toEqual({ first: 1, flaky: 3 });
    const steps = await db()
      .select()
      .from(schema.jobSteps)
      .where(eq(schema.jobSteps.runId, run.id));
    expect(Object.fromEntries(steps.map((s) => [s.stepId, s.output]))).toEqual({
      first: { value: { doubled: 40 } },
      flaky: { value: 41 },
    });
  });

  it("fails for good after 1 + retries tries, keeping the last error", async () => {
    const clock = manualClock();
    let tries = 0;
    const job = defineJob({
      id: uniqueId("always-fails"),
      name: "Always fails",
      trigger: { event: "test/always" },
      retries: 1,
      handler: async () => async () => {
        tries++;
        throw new Error(`nope ${tries}`);
      },
    });
    const driver = driverFor([job], { now: clock.now });
    const run = (await enqueueJobRun(db(), {
      job,
      data: {},
      orgId: null,
      trigger: "manual",
      at: clock.now(),
    }))!;
    await driver.poll();
    clock.advance(60_000);
    await driver.poll();
    clock.advance(60_000);
    await driver.poll();
    const row = await runRow(run.id);
    expect(tries).toBe(2);
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(2);
    expect(row.error).toBe("nope 2");
  });

  it("does not retry a NonRetriableError", async () => {
    const job = defineJob({
      id: uniqueId("non-retriable"),
      name: "Bad input",
      trigger: { event: "test/bad" },
      retries: 5,
      handler: async () => async () => {
        const err = new Error("bad input");
        err.name = "NonRetriableError";
        throw err;
      },
    });
    const run = (await enqueueJobRun(db(), { job, data: {}, orgId: null, trigger: "manual" }))!;
    await driverFor([job]).poll();
    const row = await runRow(run.id);
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(1);
  });
});

describe("events", () => {
  it("queues one run per triggered job, once per idempotency key", async () => {
    const name = uniqueId("event");
    const jobs = [1, 2].map((i) => ({ id: uniqueId(`listener-${i}`), retries: 2 }));
    const first = await persistJobEvent(db(), {
      name,
      data: { x: 1 },
      orgId: null,
      idempotencyKey: `${name}:k`,
      jobs,
    });
    const again = await persistJobEvent(db(), {
      name,
      data: { x: 2 },
      orgId: null,
      idempotencyKey: `${name}:k`,
      jobs,
    });
    expect(first.duplicate).toBe(false);
    expect(first.runIds).toHaveLength(2);
    expect(again).toEqual({
      eventId: first.eventId,
      runIds: expect.arrayContaining(first.runIds),
      duplicate: true,
    });
    const events = await db()
      .select()
      .from(schema.jobEvents)
      .where(eq(schema.jobEvents.name, name));
    expect(events).toHaveLength(1);
    const runs = await db()
      .select()
      .from(schema.jobRuns)
      .where(eq(schema.jobRuns.eventId, first.eventId));
    expect(runs.map((r) => r.maxAttempts)).toEqual([3, 3]);
    expect(runs.every((r) => r.status === "queued" && r.trigger === "event")).toBe(true);

    // Without a key, every send is its own event.
    const a = await persistJobEvent(db(), { name, data: {}, orgId: null, jobs });
    const b = await persistJobEvent(db(), { name, data: {}, orgId: null, jobs });
    expect(a.eventId).not.toBe(b.eventId);
  });

  it("sendJobEvent persists through the local driver and takes the org from the data", async () => {
    const [org] = await db()
      .insert(schema.organizations)
      .values({ id: `org_${seq++}jobs`, slug: `jobs-${Date.now()}`, name: "Jobs org" })
      .returning();
    const sent = await sendJobEvent(
      "test/nobody-listens",
      { orgId: org!.id },
      { db: db(), idempotencyKey: `k-${seq++}` },
    );
    const [event] = await db()
      .select()
      .from(schema.jobEvents)
      .where(eq(schema.jobEvents.id, sent.ids[0]!));
    expect(event!.orgId).toBe(org!.id);
    expect(sent.runIds).toEqual([]);
  });
});

describe("crash and resume", () => {
  it("a run whose process died is claimed again after its lease, and its completed steps do not re-run", async () => {
    const clock = manualClock();
    const calls = { one: 0, two: 0 };
    const hang = deferred();
    const job = defineJob({
      id: uniqueId("resumable"),
      name: "Resumable",
      trigger: { event: "test/resume" },
      retries: 3,
      handler:
        async () =>
        async ({ step, attempt }) => {
          await step.run("one", () => ++calls.one);
          // The first process "dies" here: its handler never returns.
          if (attempt === 1) await hang.promise;
          return step.run("two", () => ++calls.two);
        },
    });
    const run = (await enqueueJobRun(db(), {
      job,
      data: {},
      orgId: null,
      trigger: "manual",
      at: clock.now(),
    }))!;
    // Its clock stands still: its heartbeats keep the lease at T0 + 30 s.
    const crashed = driverFor([job], { now: clock.now, leaseMs: 30_000, heartbeatMs: 20 });
    void crashed.poll();
    await expect.poll(async () => calls.one, { timeout: 10_000 }).toBe(1);
    const claimed = await runRow(run.id);
    expect(claimed.status).toBe("running");
    expect(claimed.leaseOwner).toBe(crashed.instanceId);

    // A new process before the lease expires finds nothing to do…
    const clockB = manualClock(new Date(clock.now().getTime() + 10_000));
    const restarted = driverFor([job], { now: clockB.now, leaseMs: 30_000 });
    await restarted.poll();
    expect((await runRow(run.id)).leaseOwner).toBe(crashed.instanceId);

    // …and after it expires takes the run over and finishes it.
    clockB.advance(60_000);
    await restarted.poll();
    const done = await runRow(run.id);
    expect(done.status).toBe("completed");
    expect(done.attempts).toBe(2);
    expect(done.output).toBe(1);
    expect(calls).toEqual({ one: 1, two: 1 });

    // The old process coming back to life changes nothing: its heartbeat found the lease gone, so
    // it runs no further step and its outcome is not recorded.
    await new Promise((r) => setTimeout(r, 150));
    hang.resolve();
    await crashed.stop({ deadlineMs: 5_000 });
    const after = await runRow(run.id);
    expect(after.status).toBe("completed");
    expect(after.leaseOwner).toBeNull();
    expect(calls.two).toBe(1);
  });

  it("stop() hands a still-running run back to the queue without counting the try", async () => {
    const hang = deferred();
    let started = 0;
    const job = defineJob({
      id: uniqueId("slow"),
      name: "Slow",
      trigger: { event: "test/slow" },
      handler: async () => async () => {
        started++;
        await hang.promise;
      },
    });
    const run = (await enqueueJobRun(db(), { job, data: {}, orgId: null, trigger: "manual" }))!;
    const driver = driverFor([job]);
    void driver.poll();
    await expect.poll(() => started, { timeout: 10_000 }).toBe(1);
    await driver.stop({ deadlineMs: 50 });
    const row = await runRow(run.id);
    expect(row.status).toBe("queued");
    expect(row.attempts).toBe(0);
    expect(row.leaseOwner).toBeNull();
    hang.resolve();
  });
});

describe("crons", () => {
  it("two drivers queue each due tick exactly once, and skip ticks from before they started", async () => {
    const clock = manualClock(new Date("2026-03-02T10:00:30.000Z"));
    let ran = 0;
    const job = defineJob({
      id: uniqueId("every-minute"),
      name: "Every minute",
      trigger: { cron: "* * * * *" },
      handler:
        async () =>
        async ({ event }) => {
          ran++;
          return event.data;
        },
    });
    const a = driverFor([job], { now: clock.now });
    const b = driverFor([job], { now: clock.now });
    await Promise.all([a.poll(), b.poll()]);
    const runsOf = () => db().select().from(schema.jobRuns).where(eq(schema.jobRuns.jobId, job.id));
    expect(await runsOf()).toHaveLength(0);

    clock.set(new Date("2026-03-02T10:01:05.000Z"));
    await Promise.all([a.poll(), b.poll()]);
    clock.set(new Date("2026-03-02T10:02:10.000Z"));
    await Promise.all([b.poll(), a.poll()]);
    await Promise.all([a.poll(), b.poll()]);

    const runs = await runsOf();
    expect(runs.map((r) => r.cronTick!.toISOString()).sort()).toEqual([
      "2026-03-02T10:01:00.000Z",
      "2026-03-02T10:02:00.000Z",
    ]);
    expect(
      runs.every((r) => r.trigger === "cron" && r.orgId === null && r.status === "completed"),
    ).toBe(true);
    expect(ran).toBe(2);
  });
});

describe("concurrency", () => {
  it("never runs more than the job's concurrency at once, across drivers", async () => {
    let active = 0;
    let peak = 0;
    let finished = 0;
    const job = defineJob({
      id: uniqueId("limited"),
      name: "Limited",
      trigger: { event: "test/limited" },
      concurrency: 2,
      handler: async () => async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 30));
        active--;
        finished++;
      },
    });
    for (let i = 0; i < 6; i++)
      await enqueueJobRun(db(), { job, data: { i }, orgId: null, trigger: "manual" });
    const drivers = [1, 2, 3].map(() => driverFor([job], { maxParallel: 4 }));
    const first = await Promise.all(drivers.map((d) => d.poll()));
    expect(first).toHaveLength(3);
    expect(peak).toBe(2);
    while (finished < 6) await Promise.all(drivers.map((d) => d.poll()));
    expect(peak).toBe(2);
    const runs = await db().select().from(schema.jobRuns).where(eq(schema.jobRuns.jobId, job.id));
    expect(runs.every((r) => r.status === "completed" && r.attempts === 1)).toBe(true);
  });

  it("a started driver picks up a queued run by itself", async () => {
    const job = defineJob({
      id: uniqueId("background"),
      name: "Background",
      trigger: { event: "test/background" },
      handler:
        async () =>
        async ({ step }) =>
          step.run("only", () => "done"),
    });
    const driver = driverFor([job], { pollIntervalMs: 20 });
    driver.start();
    const run = (await enqueueJobRun(db(), { job, data: {}, orgId: null, trigger: "manual" }))!;
    await expect
      .poll(async () => (await runRow(run.id)).status, { timeout: 10_000 })
      .toBe("completed");
    await driver.stop();
  });
});
