import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CacheEntry } from "~/gateway/cache/cache-entry";
import { createResponseCache } from "~/gateway/cache/response-cache";
import { createRedisCacheStore } from "~/server/cache/response-cache/redis-cache-store";
import { createRedisClient, quitRedisClient } from "~/server/redis/redis-client";
import { startRedisServer, type TestRedis } from "../helpers/redis-server";
import { answer, chatBody, completionText, fakeClock, recordingLogger, USAGE } from "./helpers";

const NOW = Date.parse("2030-01-01T00:00:00Z");

function entry(orgId: string, key: string, ttlMs = 60_000, body = completionText()): CacheEntry {
  return {
    orgId,
    key,
    body,
    meta: {
      endpoint: "chat.completions",
      usage: USAGE,
      providerId: "openai",
      providerType: "openai",
      servedModel: "gpt-4o-mini",
      finishReason: "stop",
      costMicros: 777n,
      createdAt: NOW,
      expiresAt: NOW + ttlMs,
    },
  };
}

describe("Redis shared tier (real redis-server)", () => {
  let server: TestRedis;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = createRedisClient(server.url);
  });
  afterAll(async () => {
    if (redis) await quitRedisClient(redis);
    await server?.stop();
  });

  it("stores and reads an entry back whole, scoped by org, with a Redis expiry", async () => {
    const store = createRedisCacheStore(redis);
    await store.setMany([entry("org_a", "k1", 60_000, completionText("line one\nline two"))]);
    const found = await store.get("org_a", "k1", NOW);
    expect(found).toEqual(entry("org_a", "k1", 60_000, completionText("line one\nline two")));
    expect(await store.get("org_b", "k1", NOW)).toBeNull();
    const pttl = await redis.pttl("sy:rc:org_a:k1");
    expect(pttl).toBeGreaterThan(50_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it("never returns an entry past its expiry on the reader's clock", async () => {
    const store = createRedisCacheStore(redis);
    await store.setMany([entry("org_a", "short", 5_000)]);
    expect(await store.get("org_a", "short", NOW + 4_999)).not.toBeNull();
    expect(await store.get("org_a", "short", NOW + 5_000)).toBeNull();
  });

  it("lets Redis drop expired entries itself", async () => {
    const store = createRedisCacheStore(redis);
    await store.setMany([entry("org_a", "tiny", 50)]);
    await new Promise((r) => setTimeout(r, 120));
    expect(await redis.exists("sy:rc:org_a:tiny")).toBe(0);
    expect(await store.deleteExpired(NOW)).toBe(0);
  });

  it("ignores malformed values instead of failing the request", async () => {
    const store = createRedisCacheStore(redis);
    await redis.set("sy:rc:org_a:bad1", "no newline here");
    await redis.set("sy:rc:org_a:bad2", "{not json\n{}");
    await redis.set("sy:rc:org_a:bad3", '{"v":2}\n{}');
    for (const key of ["bad1", "bad2", "bad3"])
      expect(await store.get("org_a", key, NOW)).toBeNull();
  });

  it("clears one org's entries only (org ids are matched literally)", async () => {
    const store = createRedisCacheStore(redis, { keyPrefix: "clear:" });
    await store.setMany([
      entry("org_x", "a"),
      entry("org_x", "b"),
      entry("org_x*", "c"),
      entry("org_y", "d"),
    ]);
    expect(await store.clearOrg("org_x*")).toBe(1);
    expect(await store.clearOrg("org_x")).toBe(2);
    expect(await store.get("org_y", "d", NOW)).not.toBeNull();
  });

  it("shares answers between two engines (two instances), TTL included", async () => {
    const l2 = createRedisCacheStore(redis);
    const one = createResponseCache({
      l2,
      clock: fakeClock(NOW),
      logger: recordingLogger().logger,
    });
    const two = createResponseCache({
      l2,
      clock: fakeClock(NOW + 1_000),
      logger: recordingLogger().logger,
    });
    const req = {
      orgId: "org_a",
      endpoint: "chat.completions" as const,
      body: chatBody(),
      mode: "on" as const,
      ttlSeconds: 20,
    };
    const miss = await one.lookup(req);
    expect(miss.status).toBe("MISS");
    if (miss.status === "MISS") miss.store(answer());
    await one.flush();
    const hit = await two.lookup(req);
    expect(hit.status === "HIT" && hit.source).toBe("shared");
    expect(hit.status === "HIT" && hit.entry.meta.costMicros).toBe(42n);
    const late = createResponseCache({
      l2,
      clock: fakeClock(NOW + 20_000),
      logger: recordingLogger().logger,
    });
    expect((await late.lookup(req)).status).toBe("MISS");
  });

  it("turns a Redis outage into misses, not errors", async () => {
    const down = createRedisClient("redis://127.0.0.1:1", {
      connectTimeoutMs: 200,
      commandTimeoutMs: 200,
    });
    try {
      const { logger, lines } = recordingLogger();
      const cache = createResponseCache({
        l2: createRedisCacheStore(down),
        clock: fakeClock(NOW),
        logger,
        l2ReadTimeoutMs: 1_000,
      });
      const req = {
        orgId: "org_a",
        endpoint: "chat.completions" as const,
        body: chatBody({ seed: 5 }),
        mode: "on" as const,
        ttlSeconds: 20,
      };
      const miss = await cache.lookup(req);
      expect(miss.status).toBe("MISS");
      if (miss.status === "MISS") expect(miss.store(answer())).toBe(true);
      await cache.flush();
      expect(cache.stats().l2Writes).toMatchObject({ failedBatches: 1, dropped: 1 });
      expect(lines.some((l) => l.msg.includes("read failed"))).toBe(true);
      // Memory still serves this instance.
      expect((await cache.lookup(req)).status).toBe("HIT");
    } finally {
      await quitRedisClient(down);
    }
  });
});
