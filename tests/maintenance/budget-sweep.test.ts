import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc } from "drizzle-orm";
import type { AdmitPlan } from "~/gateway/limits/counter-store";
import {
  createMemoryCounterStore,
  TOTAL_COUNTER_IDLE_MS,
} from "~/gateway/limits/memory-counter-store";
import type { DatabaseHandle } from "~/server/db/client";
import { budgetAlerts, budgets, requestLogs } from "~/server/db/schema";
import { createBudgetSpendSource } from "~/server/limits/budget-spend-source";
import { deleteOldBudgetAlerts } from "~/server/limits/delete-old-budget-alerts";
import { deleteRequestLogsBefore } from "~/server/request-log/apply-request-log-retention";
import { markUsageDayRolledUp, rollUpUsageForOrgs } from "~/server/usage-rollup/roll-up-usage";
import { createTestDatabase } from "../helpers/db";
import { makeOrg } from "../helpers/factories";
import { FakeClock } from "../limits/limits-fixtures";
import { logRow } from "../usage/seed";

/*
 * Budget state that would otherwise grow without bound: old alert records, idle `total` counters
 * in process; and total budgets that must survive log retention (their spend is reloaded from the
 * usage roll-up).
 */

const DAY = 86_400_000;
let handle: DatabaseHandle;
let orgA: string;
let orgB: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  orgA = (await makeOrg(handle.db, "Budget A")).org.id;
  orgB = (await makeOrg(handle.db, "Budget B")).org.id;
});
afterAll(async () => {
  await handle?.close();
});

describe("deleteOldBudgetAlerts", () => {
  it("deletes alerts of periods that started before the cutoff, except a total budget's", async () => {
    const base = { scope: "org" as const, amountMicros: 1_000_000, hard: false, createdByLabel: "test" };
    await handle.db.insert(budgets).values([
      { id: "bud_daily_a", orgId: orgA, period: "daily", ...base },
      { id: "bud_total_a", orgId: orgA, period: "total", ...base },
      { id: "bud_daily_b", orgId: orgB, period: "daily", ...base },
    ]);
    const cutoff = new Date("2026-01-01T00:00:00.000Z");
    const alert = (id: string, orgId: string, budgetId: string, periodStart: Date) => ({
      id,
      orgId,
      budgetId,
      thresholdPct: 80,
      spentMicros: 800_000,
      amountMicros: 1_000_000,
      periodStart,
    });
    await handle.db.insert(budgetAlerts).values([
      alert("old_a", orgA, "bud_daily_a", new Date(cutoff.getTime() - 30 * DAY)),
      alert("edge_a", orgA, "bud_daily_a", cutoff),
      alert("new_a", orgA, "bud_daily_a", new Date(cutoff.getTime() + DAY)),
      alert("total_a", orgA, "bud_total_a", new Date(0)),
      alert("old_b", orgB, "bud_daily_b", new Date(cutoff.getTime() - DAY)),
    ]);
    expect(await deleteOldBudgetAlerts(handle.db, { before: cutoff })).toBe(2);
    const left = await handle.db.select({ id: budgetAlerts.id }).from(budgetAlerts).orderBy(asc(budgetAlerts.id));
    expect(left.map((r) => r.id)).toEqual(["edge_a", "new_a", "total_a"]);
  });
});

describe("the in-process counter store", () => {
  const plan = (id: string, key: string, expiresAt: number | null): AdmitPlan => ({
    id,
    rates: [],
    leases: [],
    leaseTtlMs: 60_000,
    budgets: [{ key, amountMicros: 1_000_000, hard: true, reserveMicros: 0, expiresAt, initialSpentMicros: 5 }],
    reservationTtlMs: 60_000,
    reportMissingBudgets: true,
  });
  const exists = async (store: ReturnType<typeof createMemoryCounterStore>, key: string) =>
    (await store.snapshot({ rates: [], leaseKeys: [], budgetKeys: [key] })).budgets[0] !== null;

  it("drops total counters idle for a month; keeps ones in use", async () => {
    const clock = new FakeClock();
    const store = createMemoryCounterStore({ clock });
    await store.admit(plan("r1", "total:idle", null));
    await store.admit(plan("r2", "total:busy", null));
    clock.advance(TOTAL_COUNTER_IDLE_MS - DAY);
    await store.admit(plan("r3", "total:busy", null));
    clock.advance(2 * DAY);
    // Any admit sweeps (at most once a minute).
    await store.admit(plan("r4", "daily:other", clock.now() + DAY));
    expect(await exists(store, "total:idle")).toBe(false);
    expect(await exists(store, "total:busy")).toBe(true);
  });
});

describe("total budget spend after log retention", () => {
  it("is reloaded from the usage roll-up for the days whose logs are gone", async () => {
    const day1 = new Date("2026-02-01T00:00:00.000Z");
    const day2 = new Date(day1.getTime() + DAY);
    await handle.db.insert(requestLogs).values([
      logRow(orgA, { apiKeyId: "key_x", endUser: "u1", costMicros: 1_000n, createdAt: new Date(day1.getTime() + 5_000) }),
      logRow(orgA, { apiKeyId: "key_x", costMicros: 20n, createdAt: new Date(day2.getTime() + 5_000) }),
      logRow(orgA, { apiKeyId: "key_y", costMicros: 300n, createdAt: new Date(day2.getTime() + 9_000) }),
      logRow(orgA, { apiKeyId: "key_x", costMicros: null, unpriced: true, createdAt: new Date(day2.getTime() + 9_000) }),
      logRow(orgB, { apiKeyId: "key_x", costMicros: 99_999n, createdAt: new Date(day1.getTime() + 1) }),
    ]);
    const source = createBudgetSpendSource(handle.db);
    const spent = () =>
      Promise.all([
        source.spentSince({ orgId: orgA, scope: "org", keyId: null, endUser: null, since: new Date(0) }),
        source.spentSince({ orgId: orgA, scope: "key", keyId: "key_x", endUser: null, since: new Date(0) }),
        source.spentSince({ orgId: orgA, scope: "user", keyId: null, endUser: "u1", since: new Date(0) }),
        source.spentSince({ orgId: orgA, scope: "org", keyId: null, endUser: null, since: day2 }),
      ]);
    const before = await spent();
    expect(before).toEqual([1_320, 1_020, 1_000, 320]);
    // Day 1 rolled up, then its raw rows deleted (as retention does).
    await rollUpUsageForOrgs(handle.db, { day: day1, orgIds: [orgA, orgB] });
    await markUsageDayRolledUp(handle.db, { day: day1, rows: 2, now: new Date() });
    await deleteRequestLogsBefore(handle.db, { orgId: orgA, before: day2 });
    expect(await spent()).toEqual(before);
  });
});
