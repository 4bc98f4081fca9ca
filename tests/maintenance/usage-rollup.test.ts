import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { getUsageSeries } from "~/features/usage/server/get-usage-series";
import { getUsageTotals } from "~/features/usage/server/get-usage-totals";
import { listTopKeys } from "~/features/usage/server/list-top-keys";
import { listUnpricedModels } from "~/features/usage/server/list-unpriced-models";
import { streamUsageCsv } from "~/features/usage/server/stream-usage-csv";
import { planUsageSource } from "~/features/usage/server/usage-source";
import { USAGE_DIMENSIONS } from "~/features/usage/schemas";
import { resolveUsageRange } from "~/features/usage/usage-range";
import { openDatabase, type DatabaseHandle, type Db } from "~/server/db/client";
import { requestLogs, usageDaily, usageRollupDays } from "~/server/db/schema";
import { listOrgIdsPage } from "~/server/maintenance/list-org-ids-page";
import { deleteRequestLogsBefore } from "~/server/request-log/apply-request-log-retention";
import {
  markUsageDayRolledUp,
  rollUpUsageForOrgs,
  usageDaysToRollUp,
  usageRolledUpThrough,
} from "~/server/usage-rollup/roll-up-usage";
import { createTestDatabase } from "../helpers/db";
import { usePostgres } from "../setup/postgres";
import { DAY, DAY1, HOUR, logRow, seedUsage, type UsageSeed } from "../usage/seed";

/*
 * The usage roll-up: the Usage page's figures read through the roll-up are identical to the
 * raw-only computation, for every query, ragged range ends, gaps in the roll-up and both
 * databases; re-running a day is harmless; another org's rows never move.
 */

const databases: [string, () => Promise<DatabaseHandle>][] = [
  ["PGlite", createTestDatabase],
  [
    "PostgreSQL",
    async () => {
      const pg = await usePostgres(inject("postgresRunDir"));
      return openDatabase({ kind: "postgres", url: await pg.createDatabase("rollup"), max: 2 });
    },
  ],
];

async function rollUpDay(db: Db, day: Date): Promise<number> {
  let after: string | null = null;
  let rows = 0;
  for (;;) {
    // A page of one org: the paging itself is exercised.
    const page = await listOrgIdsPage(db, { afterOrgId: after, limit: 1 });
    rows += await rollUpUsageForOrgs(db, { day, orgIds: page.orgIds });
    if (page.nextAfterOrgId === null) break;
    after = page.nextAfterOrgId;
  }
  await markUsageDayRolledUp(db, { day, rows, now: new Date() });
  return rows;
}

async function csvText(db: Db, orgId: string, range: ReturnType<typeof resolveUsageRange>, by: (typeof USAGE_DIMENSIONS)[number]) {
  let out = "";
  for await (const chunk of streamUsageCsv(db, { orgId, range, by })) out += chunk;
  return out;
}

/** Everything the Usage page and its CSV export show for a range. */
async function everything(db: Db, orgId: string, range: ReturnType<typeof resolveUsageRange>) {
  const series = [];
  const csv = [];
  for (const by of USAGE_DIMENSIONS) {
    series.push(await getUsageSeries(db, { orgId, range, by, top: 2 }));
    csv.push(await csvText(db, orgId, range, by));
  }
  return {
    totals: await getUsageTotals(db, { orgId, range }),
    series,
    topKeys: await listTopKeys(db, { orgId, range, limit: 10 }),
    unpriced: await listUnpricedModels(db, { orgId, range, limit: 10 }),
    csv,
  };
}

describe.each(databases)("usage roll-up on %s", (_name, open) => {
  let handle: DatabaseHandle;
  let seed: UsageSeed;
  // Ragged ends: half of 28 Feb and a quarter of 4 Mar come from the raw log whatever is rolled up.
  const range = resolveUsageRange({
    since: new Date(DAY1 - 12 * HOUR),
    until: new Date(DAY1 + 3 * DAY + 6 * HOUR),
  });
  // From midnight: every day before 4 Mar comes from the roll-up once rolled up.
  const fromMidnight = resolveUsageRange({ since: new Date(DAY1), until: range.until });
  let rawOnlyA: Awaited<ReturnType<typeof everything>>;
  let rawOnlyFromMidnight: Awaited<ReturnType<typeof everything>>;
  let rawOnlyB: Awaited<ReturnType<typeof everything>>;

  beforeAll(async () => {
    handle = await open();
    seed = await seedUsage(handle.db);
    const A = seed.a.org.id;
    // More days: 28 Feb (inside the ragged start and before it), 3 and 4 Mar, an unpriced run late
    // on 3 Mar (its last-seen time must survive the roll-up to the millisecond).
    await handle.db.insert(requestLogs).values([
      logRow(A, { apiKeyId: seed.keys.main, costMicros: 5n, promptTokens: 3, createdAt: new Date(DAY1 - 13 * HOUR) }),
      logRow(A, { apiKeyId: seed.keys.dev, costMicros: 6n, promptTokens: 4, createdAt: new Date(DAY1 - 2 * HOUR) }),
      logRow(A, {
        apiKeyId: seed.keys.dev,
        requestedModel: "my-llama",
        servedModel: "my-llama",
        providerId: "vllm",
        promptTokens: 7,
        completionTokens: 1,
        costMicros: null,
        unpriced: true,
        createdAt: new Date(DAY1 + 2 * DAY + 23 * HOUR + 123),
      }),
      logRow(A, {
        apiKeyId: seed.keys.batch,
        endUser: "dave",
        costMicros: 2_000_001n,
        promptTokens: 100,
        completionTokens: 10,
        cacheStatus: "semantic_hit",
        savedMicros: 9n,
        status: 500,
        createdAt: new Date(DAY1 + 3 * DAY + 2 * HOUR),
      }),
      logRow(A, { apiKeyId: seed.keys.main, costMicros: 1n, createdAt: new Date(DAY1 + 3 * DAY + 7 * HOUR) }),
    ]);
    rawOnlyA = await everything(handle.db, A, range);
    rawOnlyB = await everything(handle.db, seed.b.org.id, range);
    rawOnlyFromMidnight = await everything(handle.db, A, fromMidnight);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("finds the days to roll up from the first traffic to yesterday", async () => {
    const days = await usageDaysToRollUp(handle.db, { now: new Date(DAY1 + 4 * DAY + HOUR), maxDays: 10 });
    expect(days.map((d) => d.toISOString().slice(0, 10))).toEqual([
      "2025-02-28",
      "2025-03-01",
      "2025-03-02",
      "2025-03-03",
      "2025-03-04",
    ]);
    expect(await usageRolledUpThrough(handle.db)).toBeNull();
  });

  it("with a gap in the roll-up (only 2 Mar), every figure equals the raw-only computation", async () => {
    await rollUpDay(handle.db, new Date(DAY1 + DAY));
    const plan = await planUsageSource(handle.db, { range });
    expect(plan.rolled).toEqual([{ since: new Date(DAY1 + DAY), until: new Date(DAY1 + 2 * DAY) }]);
    expect(plan.raw).toEqual([
      { since: range.since, until: new Date(DAY1 + DAY) },
      { since: new Date(DAY1 + 2 * DAY), until: range.until },
    ]);
    expect(await everything(handle.db, seed.a.org.id, range)).toEqual(rawOnlyA);
  });

  it("with every complete day rolled up, figures are identical for both orgs", async () => {
    for (let d = -1; d < 4; d++) await rollUpDay(handle.db, new Date(DAY1 + d * DAY));
    const plan = await planUsageSource(handle.db, { range });
    expect(plan.rolled).toEqual([{ since: new Date(DAY1), until: new Date(DAY1 + 3 * DAY) }]);
    expect(await everything(handle.db, seed.a.org.id, range)).toEqual(rawOnlyA);
    expect(await everything(handle.db, seed.b.org.id, range)).toEqual(rawOnlyB);
    // The totals are not zero: the comparison compares something.
    expect(rawOnlyA.totals.requests).toBeGreaterThan(8);
    expect(rawOnlyA.unpriced.length).toBeGreaterThan(0);
  });

  it("re-running a day replaces its rows (no double counting)", async () => {
    const rowsOf = async () =>
      (await handle.db.select({ n: count() }).from(usageDaily).where(eq(usageDaily.orgId, seed.a.org.id)))[0]!.n;
    const before = await rowsOf();
    await rollUpDay(handle.db, new Date(DAY1));
    await rollUpDay(handle.db, new Date(DAY1));
    expect(await rowsOf()).toBe(before);
    expect(await everything(handle.db, seed.a.org.id, range)).toEqual(rawOnlyA);
  });

  it("reads rolled-up days from the roll-up: figures survive the raw rows' deletion", async () => {
    const through = await usageRolledUpThrough(handle.db);
    expect(through).toEqual(new Date(DAY1 + 4 * DAY));
    const deleted = await deleteRequestLogsBefore(handle.db, {
      orgId: seed.a.org.id,
      before: new Date(DAY1 + DAY),
      batchSize: 2,
    });
    expect(deleted).toBeGreaterThan(2);
    expect(await everything(handle.db, seed.a.org.id, fromMidnight)).toEqual(rawOnlyFromMidnight);
    // Re-rolling a day whose raw rows are gone keeps its roll-up.
    await rollUpDay(handle.db, new Date(DAY1));
    expect(await everything(handle.db, seed.a.org.id, fromMidnight)).toEqual(rawOnlyFromMidnight);
    // Org B's rows of those days were not touched.
    expect(await everything(handle.db, seed.b.org.id, range)).toEqual(rawOnlyB);
  });

  it("hourly views never read the roll-up", async () => {
    const hourly = resolveUsageRange({ since: new Date(DAY1 + DAY), until: new Date(DAY1 + 2 * DAY) });
    expect(hourly.bucket).toBe("hour");
    expect(await planUsageSource(handle.db, { range: hourly })).toEqual({
      raw: [{ since: hourly.since, until: hourly.until }],
      rolled: [],
    });
    const days = await handle.db.select().from(usageRollupDays);
    expect(days.length).toBe(5);
  });
});
