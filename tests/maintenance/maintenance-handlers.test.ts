import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import type { JobContext, JobDefinition, JobStep } from "~/jobs/define-job";
import { MAINTENANCE_JOBS } from "~/jobs/maintenance";
import { jobById } from "~/jobs/registry";
import { setDatabase, type DatabaseHandle } from "~/server/db";
import {
  databaseMaintenanceRuns,
  healthSnapshots,
  requestLogs,
  responseCache,
  usageDaily,
  usageRollupDays,
} from "~/server/db/schema";
import { shutdownGateway } from "~/server/gateway";
import { utcDayStart } from "~/server/maintenance/utc-day";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture } from "../helpers/factories";
import { logRow } from "../usage/seed";

/*
 * The maintenance handlers as a driver runs them, with a simple memoizing step: results are
 * right, a resumed run (same memo) does not redo finished steps, a fresh re-run is harmless.
 */

const DAY = 86_400_000;
let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;

class MemoStep implements JobStep {
  readonly results = new Map<string, unknown>();
  executed: string[] = [];
  async run<T>(id: string, fn: () => Promise<T> | T): Promise<T> {
    if (this.results.has(id)) return this.results.get(id) as T;
    this.executed.push(id);
    // JSON round trip: what a durable driver stores and hands back.
    const value = JSON.parse(JSON.stringify((await fn()) ?? null)) as T;
    this.results.set(id, value);
    return value;
  }
}

const silent = { info() {}, warn() {}, error() {} };

async function runJob(id: string, step = new MemoStep(), data: unknown = {}) {
  const job = jobById(id) as JobDefinition<unknown> | undefined;
  if (!job) throw new Error(`no job ${id}`);
  const handler = await job.handler();
  const ctx: JobContext<unknown> = {
    event: { id: "evt_1", name: "cron", data },
    step,
    runId: "run_1",
    attempt: 1,
    logger: silent,
  };
  return { result: (await handler(ctx)) as Record<string, unknown>, step };
}

const today = utcDayStart(new Date()).getTime();

beforeAll(async () => {
  handle = await createTestDatabase();
  setDatabase(handle);
  a = await makeOrg(handle.db, "Jobs A");
  b = await makeOrg(handle.db, "Jobs B");
  await handle.db.insert(requestLogs).values([
    logRow(a.org.id, { costMicros: 10n, createdAt: new Date(today - 3 * DAY + 1000) }),
    logRow(a.org.id, { costMicros: 20n, createdAt: new Date(today - 2 * DAY + 1000) }),
    logRow(a.org.id, { costMicros: 40n, createdAt: new Date(today + 1000) }),
    logRow(b.org.id, { costMicros: 80n, createdAt: new Date(today - 3 * DAY + 1000) }),
  ]);
});
afterAll(async () => {
  await shutdownGateway();
  await handle?.close();
});

describe("maintenance job definitions", () => {
  it("are registered with stable ids and cron triggers", () => {
    expect(MAINTENANCE_JOBS.map((j) => [j.id, "cron" in j.trigger])).toEqual([
      ["maintenance/usage-rollup", true],
      ["maintenance/request-log-retention", true],
      ["maintenance/budget-sweep", true],
      ["maintenance/database", true],
      ["maintenance/cache-cleanup", true],
      ["maintenance/health-snapshot", true],
    ]);
    for (const job of MAINTENANCE_JOBS) expect(jobById(job.id)).toBe(job);
  });
});

describe("usage roll-up handler", () => {
  it("rolls up every complete day since the first request, a step per day and org page", async () => {
    const { result, step } = await runJob("maintenance/usage-rollup");
    const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
    expect(result.days).toEqual([iso(today - 3 * DAY), iso(today - 2 * DAY), iso(today - DAY)]);
    expect(result.rows).toBe(3);
    expect(step.executed).toEqual([
      "clock",
      "days",
      `${iso(today - 3 * DAY)}:orgs-0`,
      `${iso(today - 3 * DAY)}:done`,
      `${iso(today - 2 * DAY)}:orgs-0`,
      `${iso(today - 2 * DAY)}:done`,
      `${iso(today - DAY)}:orgs-0`,
      `${iso(today - DAY)}:done`,
    ]);
    // Resumed with the same memo: nothing runs again, same answer.
    step.executed = [];
    expect((await runJob("maintenance/usage-rollup", step)).result).toEqual(result);
    expect(step.executed).toEqual([]);
    // A fresh run finds nothing left to do.
    expect((await runJob("maintenance/usage-rollup")).result).toEqual({ days: [], rows: 0 });
    expect((await handle.db.select({ n: count() }).from(usageRollupDays))[0]!.n).toBe(3);
  });

  it("re-rolls one day on request (idempotent) and refuses today", async () => {
    const day = new Date(today - 3 * DAY).toISOString().slice(0, 10);
    const rowsOfA = async () =>
      (await handle.db.select({ n: count() }).from(usageDaily).where(eq(usageDaily.orgId, a.org.id)))[0]!.n;
    const before = await rowsOfA();
    expect((await runJob("maintenance/usage-rollup", new MemoStep(), { day })).result).toEqual({
      days: [day],
      rows: 2,
    });
    expect(await rowsOfA()).toBe(before);
    const todayText = new Date(today).toISOString().slice(0, 10);
    await expect(runJob("maintenance/usage-rollup", new MemoStep(), { day: todayText })).rejects.toThrow(
      /not a complete UTC day/,
    );
    await expect(runJob("maintenance/usage-rollup", new MemoStep(), { day: "yesterday" })).rejects.toThrow();
    // A day past the roll-up would leave a gap before it: refused.
    await handle.db.delete(usageRollupDays).where(eq(usageRollupDays.day, new Date(today - DAY)));
    const yesterday = new Date(today - DAY).toISOString().slice(0, 10);
    await expect(runJob("maintenance/usage-rollup", new MemoStep(), { day: yesterday })).rejects.toThrow(
      /not rolled up yet/,
    );
    await runJob("maintenance/usage-rollup");
  });
});

describe("request-log retention handler", () => {
  it("applies each org's retention after the roll-up, one step per org page", async () => {
    await callerFor(handle.db, a.users.owner).logs.updateSettings({
      orgSlug: a.org.slug,
      requestLogRetentionDays: 1,
    });
    const { result, step } = await runJob("maintenance/request-log-retention");
    // A keeps today and yesterday: its rows of 3 and 2 days ago go; B (30 days) keeps its row.
    expect(result).toEqual({ orgs: 2, deleted: 2 });
    expect(step.executed).toEqual(["clock", "orgs-0"]);
    const left = await handle.db.select({ orgId: requestLogs.orgId }).from(requestLogs);
    expect(left.filter((r) => r.orgId === a.org.id)).toHaveLength(1);
    expect(left.filter((r) => r.orgId === b.org.id)).toHaveLength(1);
    // Run again: nothing more to delete.
    expect((await runJob("maintenance/request-log-retention")).result).toEqual({ orgs: 2, deleted: 0 });
  });
});

describe("cache cleanup handler", () => {
  it("removes expired rows, a step per cache table", async () => {
    await handle.db.insert(responseCache).values([
      { orgId: a.org.id, key: "old", body: "{}", meta: {} as never, expiresAt: new Date(Date.now() - 60_000) },
      { orgId: b.org.id, key: "live", body: "{}", meta: {} as never, expiresAt: new Date(Date.now() + 3_600_000) },
    ]);
    const { result, step } = await runJob("maintenance/cache-cleanup");
    expect(result).toEqual({ exact: 1, semantic: 0 });
    expect(step.executed).toEqual(["clock", "exact", "semantic"]);
    expect(await handle.db.select({ key: responseCache.key }).from(responseCache)).toEqual([{ key: "live" }]);
  });
});

describe("database maintenance handler", () => {
  it("maintains each table in its own step and records the run", async () => {
    const { result, step } = await runJob("maintenance/database");
    const tables = result.tables as { table: string; vacuumed: boolean }[];
    expect(tables.length).toBeGreaterThan(5);
    expect(tables.every((t) => t.vacuumed)).toBe(true);
    expect(step.executed).toContain("table:request_logs");
    expect(step.executed[step.executed.length - 1]).toBe("record");
    const runs = await handle.db.select().from(databaseMaintenanceRuns);
    expect(runs.map((r) => r.id)).toContain(result.id);
  });
});

describe("budget sweep handler", () => {
  it("runs the alert sweep", async () => {
    const { result, step } = await runJob("maintenance/budget-sweep");
    expect(result).toEqual({ alertsDeleted: 0 });
    expect(step.executed).toEqual(["clock", "alerts"]);
  });
});

describe("health snapshot handler", () => {
  it("records what this process's readiness probe reports", async () => {
    const { result } = await runJob("maintenance/health-snapshot");
    expect(result).toMatchObject({ status: "ok", pruned: 0 });
    const [row] = await handle.db.select().from(healthSnapshots).where(eq(healthSnapshots.id, result.id as string));
    expect(row?.report).toMatchObject({
      database: "ok",
      requestLog: { dropped: 0 },
      breakers: { open: 0 },
    });
  });
});
