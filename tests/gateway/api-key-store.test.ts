import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import { ApiKeyCache, invalidateApiKey, sharedApiKeyCache } from "~/server/gateway/api-key-cache";
import { createApiKeyStore } from "~/server/gateway/api-key-store";
import { createTestDatabase } from "../helpers/db";
import { insertKey, insertOrg } from "./db-fixtures";

let handle: DatabaseHandle;
let orgId: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  orgId = await insertOrg(handle.db);
});
afterAll(async () => {
  await handle.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A store whose database calls are counted. */
function countingStore(cache: ApiKeyCache) {
  const store = createApiKeyStore(handle.db, { cache });
  let queries = 0;
  return {
    find: async (hash: string) => {
      const before = cache.get(hash);
      const result = await store.findByHash(hash);
      if (before === undefined) queries++;
      return result;
    },
    get queries() {
      return queries;
    },
    store,
  };
}

describe("createApiKeyStore", () => {
  it("returns the key's fields, read-only", async () => {
    const expiresAt = new Date("2031-01-01T00:00:00Z");
    const key = await insertKey(handle.db, orgId, {
      allowedModels: ["gpt-4o"],
      metadata: { team: "search" },
      expiresAt,
    });
    const store = createApiKeyStore(handle.db, { cache: new ApiKeyCache({ ttlMs: 1000 }) });
    const record = await store.findByHash(key.hash);
    expect(record).toEqual({
      id: key.id,
      orgId,
      name: "test key",
      allowedModels: ["gpt-4o"],
      metadata: { team: "search" },
      expiresAt,
      revokedAt: null,
    });
    expect(Object.isFrozen(record)).toBe(true);
    expect(Object.isFrozen(record!.metadata)).toBe(true);
    expect(await store.findByHash("0".repeat(64))).toBeNull();
  });

  it("answers a cache hit synchronously, without the database", async () => {
    const key = await insertKey(handle.db, orgId);
    const store = createApiKeyStore(handle.db, { cache: new ApiKeyCache({ ttlMs: 5000 }) });
    const first = await store.findByHash(key.hash);
    // Change the row behind the cache's back: a hit must not see it.
    await handle.db.update(apiKeys).set({ name: "renamed" }).where(eq(apiKeys.id, key.id));
    const second = store.findByHash(key.hash);
    expect(second).not.toBeInstanceOf(Promise);
    expect(second).toBe(first);
  });

  it("caches misses too, and forgets both after the TTL", async () => {
    const cache = new ApiKeyCache({ ttlMs: 150 });
    const s = countingStore(cache);
    const key = await insertKey(handle.db, orgId);
    const missing = "f".repeat(64);
    await s.find(key.hash);
    await s.find(missing);
    await s.find(key.hash);
    await s.find(missing);
    expect(s.queries).toBe(2);

    await handle.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, key.id));
    expect((await s.find(key.hash))!.revokedAt).toBeNull(); // still cached
    await sleep(200);
    expect((await s.find(key.hash))!.revokedAt).toBeInstanceOf(Date);
    expect(await s.find(missing)).toBeNull();
    expect(s.queries).toBe(4);
  });

  it("invalidate drops an entry at once", async () => {
    const cache = new ApiKeyCache({ ttlMs: 60_000 });
    const store = createApiKeyStore(handle.db, { cache });
    const key = await insertKey(handle.db, orgId);
    expect((await store.findByHash(key.hash))!.revokedAt).toBeNull();
    await handle.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, key.id));
    cache.invalidate(key.hash);
    expect((await store.findByHash(key.hash))!.revokedAt).toBeInstanceOf(Date);
  });

  it("invalidateApiKey reaches the shared cache used by default", async () => {
    const store = createApiKeyStore(handle.db);
    const key = await insertKey(handle.db, orgId);
    expect((await store.findByHash(key.hash))!.revokedAt).toBeNull();
    expect(sharedApiKeyCache().get(key.hash)).not.toBeUndefined();
    await handle.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, key.id));
    invalidateApiKey(key.hash);
    expect(sharedApiKeyCache().get(key.hash)).toBeUndefined();
    expect((await store.findByHash(key.hash))!.revokedAt).toBeInstanceOf(Date);
  });

  it("shares one lookup among concurrent misses", async () => {
    const cache = new ApiKeyCache({ ttlMs: 5000 });
    const key = await insertKey(handle.db, orgId);
    let loads = 0;
    const loader = async () => {
      loads++;
      await sleep(20);
      return null;
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, () => cache.load(key.hash, loader)),
    );
    expect(loads).toBe(1);
    expect(results.every((r) => r === null)).toBe(true);
  });

  it("does not cache a lookup that was invalidated while in flight", async () => {
    const cache = new ApiKeyCache({ ttlMs: 5000 });
    let release!: () => void;
    const pending = cache.load("h", () => new Promise((r) => (release = () => r(null))));
    cache.invalidate("h");
    release();
    await pending;
    expect(cache.get("h")).toBeUndefined();
  });

  it("with TTL 0 never caches", async () => {
    const cache = new ApiKeyCache({ ttlMs: 0 });
    const s = countingStore(cache);
    const key = await insertKey(handle.db, orgId);
    await s.find(key.hash);
    await s.find(key.hash);
    expect(s.queries).toBe(2);
  });

  it("keeps misses from evicting found keys", async () => {
    const cache = new ApiKeyCache({ ttlMs: 5000, maxEntries: 2 });
    const s = countingStore(cache);
    const key = await insertKey(handle.db, orgId);
    await s.find(key.hash);
    for (let i = 0; i < 5; i++) await s.find(String(i).repeat(64));
    const before = s.queries;
    await s.find(key.hash);
    expect(s.queries).toBe(before);
  });
});
