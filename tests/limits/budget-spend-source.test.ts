import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import type { BudgetSpendSource } from "~/gateway/limits/counter-store";
import { createLimitsEngine } from "~/gateway/limits/limits-engine";
import { createMemoryCounterStore } from "~/gateway/limits/memory-counter-store";
import type { DatabaseHandle } from "~/server/db";
import * as schema from "~/server/db/schema";
import { newId } from "~/lib/ids";
import { createBudgetSpendSource } from "~/server/limits/budget-spend-source";
import { createRedisCounterStore } from "~/server/limits/redis-counter-store";
import { createRedisClient, quitRedisClient } from "~/server/redis/redis-client";
import { createTestDatabase } from "../helpers/db";
import { startRedisServer, type TestRedis } from "../helpers/redis-server";
import { FakeClock, budget, captureLogger, limits, refusal, request } from "./limits-fixtures";

let handle: DatabaseHandle;
let server: TestRedis;
const orgA = newId("org");
const orgB = newId("org");
const now = Date.UTC(2025, 4, 20, 15, 0, 0); // Tuesday 20 May 2025
const monthStart = new Date(Date.UTC(2025, 4, 1));

async function log(
  orgId: string,
  costMicros: bigint | null,
  at: Date,
  extra: { apiKeyId?: string; endUser?: string } = {},
) {
  await handle.db.insert(schema.requestLogs).values({
    id: newId("att"),
    orgId,
    endpoint: "chat.completions",
    status: 200,
    latencyMs: 5,
    costMicros,
    unpriced: costMicros === null,
    createdAt: at,
    apiKeyId: extra.apiKeyId ?? "key_a",
    endUser: extra.endUser ?? null,
  });
}

beforeAll(async () => {
  handle = await createTestDatabase();
  server = await startRedisServer();
  await handle.db.insert(schema.organizations).values([
    { id: orgA, slug: `a-${orgA.slice(4, 12).toLowerCase()}`, name: "A" },
    { id: orgB, slug: `b-${orgB.slice(4, 12).toLowerCase()}`, name: "B" },
  ]);
  const inMay = new Date(Date.UTC(2025, 4, 10));
  await log(orgA, 100_000n, inMay);
  await log(orgA, 250_001n, new Date(Date.UTC(2025, 4, 19, 23)), { apiKeyId: "key_b" });
  await log(orgA, null, inMay); // unpriced: counts nothing
  await log(orgA, 40_000n, inMay, { endUser: "alice" });
  await log(orgA, 999_999_999n, new Date(Date.UTC(2025, 3, 30, 23, 59))); // April: before the period
  await log(orgB, 777_777_777n, inMay); // another org
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await handle?.close();
});

function counting(source: BudgetSpendSource): BudgetSpendSource & { calls: number } {
  const wrapped = {
    calls: 0,
    spentSince: (q: Parameters<BudgetSpendSource["spentSince"]>[0]) => {
      wrapped.calls++;
      return source.spentSince(q);
    },
  };
  return wrapped;
}

describe("budget spend source over request_logs", () => {
  it("sums the scope's cost since the period start, in one org only", async () => {
    const source = createBudgetSpendSource(handle.db);
    expect(
      await source.spentSince({
        orgId: orgA,
        scope: "org",
        keyId: null,
        endUser: null,
        since: monthStart,
      }),
    ).toBe(390_001);
    expect(
      await source.spentSince({
        orgId: orgA,
        scope: "key",
        keyId: "key_b",
        endUser: null,
        since: monthStart,
      }),
    ).toBe(250_001);
    expect(
      await source.spentSince({
        orgId: orgA,
        scope: "user",
        keyId: null,
        endUser: "alice",
        since: monthStart,
      }),
    ).toBe(40_000);
    expect(
      await source.spentSince({
        orgId: orgA,
        scope: "org",
        keyId: null,
        endUser: null,
        since: new Date(0),
      }),
    ).toBe(1_000_390_000);
    // another org's key id gets nothing from org A's rows, and vice versa
    expect(
      await source.spentSince({
        orgId: orgB,
        scope: "key",
        keyId: "key_b",
        endUser: null,
        since: monthStart,
      }),
    ).toBe(0);
    expect(
      await source.spentSince({
        orgId: orgB,
        scope: "org",
        keyId: null,
        endUser: null,
        since: monthStart,
      }),
    ).toBe(777_777_777);
  });

  it("initializes an in-process budget counter from the logs exactly once", async () => {
    const clock = new FakeClock(now);
    const source = counting(createBudgetSpendSource(handle.db));
    const engine = createLimitsEngine({
      store: createMemoryCounterStore({ clock }),
      spendSource: source,
      clock,
      logger: captureLogger().logger,
    });
    const rule = budget({ amountMicros: 1_000_000, period: "monthly" });
    const l = limits({ budgets: [rule] });
    const before = await engine.snapshot({ orgId: orgA, keyId: "key_a", limits: l });
    expect(before.budgets[0]).toMatchObject({ spentMicros: 390_001, source: "request_logs" });
    source.calls = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        engine.admit(request(l, { orgId: orgA, maxCostMicros: 50_000 })),
      ),
    );
    expect(source.calls).toBe(1);
    // 390,001 spent + 12 × 50,000 = 990,001 ≤ 1,000,000 < 390,001 + 13 × 50,000: twelve fit
    const admitted = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(admitted).toHaveLength(12);
    const snap = await engine.snapshot({ orgId: orgA, keyId: "key_a", limits: l });
    expect(snap.budgets[0]).toMatchObject({
      spentMicros: 390_001,
      reservedMicros: 600_000,
      source: "counter",
    });
    for (const a of admitted) a.settle({ tokens: 1, costMicros: 1 });
    await engine.drain();
    await engine.admit(request(l, { orgId: orgA, maxCostMicros: 1 }));
    expect(source.calls).toBe(1);
    const after = await engine.snapshot({ orgId: orgA, keyId: "key_a", limits: l });
    expect(after.budgets[0]).toMatchObject({ spentMicros: 390_013, source: "counter" });
  });

  it("initializes a shared Redis counter once when two instances race (set if absent)", async () => {
    const clients: Redis[] = [createRedisClient(server.url), createRedisClient(server.url)];
    try {
      const sources = clients.map(() => counting(createBudgetSpendSource(handle.db)));
      const engines = clients.map((c, i) =>
        createLimitsEngine({
          store: createRedisCounterStore(c, { prefix: "spend:" }),
          spendSource: sources[i],
          clock: new FakeClock(now),
          logger: captureLogger().logger,
        }),
      );
      const rule = budget({
        scope: "key",
        keyId: "key_b",
        amountMicros: 500_000,
        period: "monthly",
      });
      const l = limits({ budgets: [rule] });
      // 250,001 already spent: 249,999 left; 10,000 each → 24 fit
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          engines[i % 2]!.admit(request(l, { orgId: orgA, keyId: "key_b", maxCostMicros: 10_000 })),
        ),
      );
      const reasons = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
      expect(reasons.slice(0, 1)).toEqual([expect.stringContaining("Budget exceeded")]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(24);
      expect(sources[0]!.calls + sources[1]!.calls).toBeLessThanOrEqual(2);
      const snap = await engines[1]!.snapshot({ orgId: orgA, keyId: "key_b", limits: l });
      expect(snap.budgets[0]).toMatchObject({ spentMicros: 250_001, reservedMicros: 240_000 });
      const err = await refusal(() =>
        engines[0]!.admit(request(l, { orgId: orgA, keyId: "key_b", maxCostMicros: 10_000 })),
      );
      expect(err.message).toContain("$0.250001 spent and $0.24 reserved");
      expect(sources[0]!.calls + sources[1]!.calls).toBeLessThanOrEqual(2);
    } finally {
      await Promise.all(clients.map((c) => quitRedisClient(c)));
    }
  });
});
