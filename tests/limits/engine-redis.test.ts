import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { createLimitsEngine, type BudgetAlert } from "~/gateway/limits/limits-engine";
import { createRedisCounterStore } from "~/server/limits/redis-counter-store";
import { createRedisClient, quitRedisClient } from "~/server/redis/redis-client";
import { startRedisServer, type TestRedis } from "../helpers/redis-server";
import { runEngineContract } from "./engine-contract";
import { budget, captureLogger, limits, rate, refusal, request } from "./limits-fixtures";

let server: TestRedis;
let redis: Redis;
let prefixSeq = 0;
/** A fresh prefix per store: tests share one server without sharing counters. */
const freshPrefix = () => `t${++prefixSeq}:switchyard:`;

beforeAll(async () => {
  server = await startRedisServer();
  redis = createRedisClient(server.url);
});

afterAll(async () => {
  await quitRedisClient(redis);
  await server.stop();
});

runEngineContract("a real redis-server", () =>
  createRedisCounterStore(redis, { prefix: freshPrefix() }),
);

/** Two gateway instances: each its own connection and engine, one Redis. */
function twoInstances(onBudgetAlert?: (a: BudgetAlert) => void) {
  const prefix = freshPrefix();
  const clients = [createRedisClient(server.url), createRedisClient(server.url)];
  const engines = clients.map((c) =>
    createLimitsEngine({
      store: createRedisCounterStore(c, { prefix }),
      logger: captureLogger().logger,
      onBudgetAlert,
    }),
  );
  return { prefix, engines, close: () => Promise.all(clients.map((c) => quitRedisClient(c))) };
}

describe("limits engine over Redis, several instances", () => {
  it("two instances enforce one rate limit exactly between them", async () => {
    const { engines, close } = twoInstances();
    try {
      const l = limits({ org: rate({ rpm: 25 }) });
      const results = await Promise.allSettled(
        Array.from({ length: 60 }, (_, i) =>
          engines[i % 2]!.admit(request(l, { keyId: `key_${i % 7}` })),
        ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(25);
      const reasons = results.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []));
      expect(reasons.every((e) => e.message.includes("your organization"))).toBe(true);
    } finally {
      await close();
    }
  });

  it("two instances hold one hard budget: reservations never exceed it; spent is the sum of settled costs", async () => {
    const { engines, close } = twoInstances();
    try {
      const rule = budget({ amountMicros: 5_000_000, period: "daily" });
      const l = limits({ budgets: [rule], key: rate({ concurrent: 1000 }) });
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          engines[i % 2]!.admit(request(l, { maxCostMicros: 333_333 })),
        ),
      );
      const admitted = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      expect(admitted).toHaveLength(15); // 15 × 333,333 = 4,999,995 ≤ 5,000,000 < 16 × 333,333
      const costs = admitted.map((_, i) => 100_000 + i * 7);
      admitted.forEach((a, i) => a.settle({ tokens: 5, costMicros: costs[i]! }));
      await Promise.all(engines.map((e) => e.drain()));
      const snap = await engines[0]!.snapshot({ orgId: "org_a", keyId: "key_a", limits: l });
      expect(snap.budgets[0]).toMatchObject({
        spentMicros: costs.reduce((s, c) => s + c, 0),
        reservedMicros: 0,
      });
      expect(snap.concurrency[0]!.inFlight).toBe(0);
    } finally {
      await close();
    }
  });

  it("a soft budget alerts once per threshold across two instances", async () => {
    const alerts: BudgetAlert[] = [];
    const { engines, close } = twoInstances((a) => void alerts.push(a));
    try {
      const rule = budget({ amountMicros: 1_000, hard: false, alertThresholds: [25, 50, 100] });
      const l = limits({ budgets: [rule] });
      const admitted = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          engines[i % 2]!.admit(request(l, { maxCostMicros: 50 })),
        ),
      );
      admitted.forEach((a) => a.settle({ tokens: 1, costMicros: 50 })); // 2,000 in all
      await Promise.all(engines.map((e) => e.drain()));
      expect(alerts.map((a) => a.thresholdPct).sort((x, y) => x - y)).toEqual([25, 50, 100]);
      for (const a of alerts)
        expect(a.spentMicros).toBe(Math.ceil((a.thresholdPct * 1000) / 100 / 50) * 50);
    } finally {
      await close();
    }
  });

  it("keys carry the prefix and a TTL", async () => {
    const prefix = freshPrefix();
    const e = createLimitsEngine({
      store: createRedisCounterStore(redis, { prefix }),
      logger: captureLogger().logger,
    });
    const l = limits({
      key: rate({ rpm: 10, concurrent: 5 }),
      budgets: [budget({ period: "daily" })],
    });
    await e.admit(request(l, { maxCostMicros: 10 }));
    const keys = (await redis.keys(`${prefix}*`)).sort();
    expect(keys.map((k) => k.slice(prefix.length))).toEqual([
      expect.stringMatching(/^\{org_a\}:b:bud_test_\w+:-:\d+$/),
      expect.stringMatching(/^\{org_a\}:b:bud_test_\w+:-:\d+:res$/),
      "{org_a}:cc:key:key_a",
      "{org_a}:rl:key:key_a:rpm",
    ]);
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2 * 86_400_000);
    }
  });

  it("re-sends its script after the server forgot it (NOSCRIPT)", async () => {
    const e = createLimitsEngine({
      store: createRedisCounterStore(redis, { prefix: freshPrefix() }),
      logger: captureLogger().logger,
    });
    const l = limits({ key: rate({ rpm: 2 }) });
    await e.admit(request(l));
    await redis.script("FLUSH");
    const a = await e.admit(request(l));
    expect(a.headers["x-ratelimit-remaining-requests"]).toBe("0");
    await refusal(() => e.admit(request(l)));
  });

  it("a lease expires on Redis time when its request never settles", async () => {
    const { logger } = captureLogger();
    const e = createLimitsEngine({
      store: createRedisCounterStore(redis, { prefix: freshPrefix() }),
      logger,
      leaseTtlMs: 300,
    });
    const l = limits({ key: rate({ concurrent: 1 }) });
    await e.admit(request(l));
    await refusal(() => e.admit(request(l)));
    await new Promise((r) => setTimeout(r, 350));
    await e.admit(request(l));
  });
});

describe("limits engine when Redis is down", () => {
  it("refuses with 503 limits_unavailable within a bounded time, and ping fails", async () => {
    const down = await startRedisServer();
    const client = createRedisClient(down.url);
    const store = createRedisCounterStore(client, { prefix: freshPrefix(), timeoutMs: 500 });
    const { logger, lines } = captureLogger();
    const e = createLimitsEngine({ store, logger });
    try {
      const l = limits({ key: rate({ rpm: 100 }) });
      await e.admit(request(l));
      await e.ping();
      await down.stop();
      const started = Date.now();
      const err = await refusal(() => e.admit(request(l)));
      expect(Date.now() - started).toBeLessThan(1500);
      expect(err.status).toBe(503);
      expect(err.code).toBe("limits_unavailable");
      expect(err.message).toContain("limits store is unreachable");
      await expect(e.ping()).rejects.toThrow();
      expect(lines.some((x) => x.msg === "limits: store unavailable")).toBe(true);
      // requests without limits never touch the store
      const free = await e.admit(request(limits({})));
      expect(free.headers).toEqual({});
    } finally {
      await quitRedisClient(client);
      await down.stop();
    }
  });
});
