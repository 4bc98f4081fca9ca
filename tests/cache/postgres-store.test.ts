import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CacheEntry } from "~/gateway/cache/cache-entry";
import { createResponseCache } from "~/gateway/cache/response-cache";
import { localEmbedder } from "~/lib/embeddings/local-embedder";
import {
  createSemanticCacheStore,
  createSharedCacheStore,
} from "~/server/cache/response-cache/create-cache-stores";
import { createPostgresCacheStore } from "~/server/cache/response-cache/postgres-cache-store";
import { openDatabase, type DatabaseHandle } from "~/server/db/client";
import { organizations, responseCache } from "~/server/db/schema";
import { createTestDatabase } from "../helpers/db";
import { insertOrg } from "../gateway/db-fixtures";
import { usePostgres } from "../setup/postgres";
import { answer, chatBody, completionText, fakeClock, recordingLogger, USAGE } from "./helpers";

const NOW = Date.parse("2030-01-01T00:00:00Z");

function entry(
  orgId: string,
  key: string,
  overrides: Partial<CacheEntry["meta"]> = {},
  body = completionText(),
): CacheEntry {
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
      costMicros: 1234n,
      createdAt: NOW,
      expiresAt: NOW + 60_000,
      ...overrides,
    },
  };
}

describe("Postgres shared tier (PGlite)", () => {
  let handle: DatabaseHandle;
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    handle = await createTestDatabase();
    orgA = await insertOrg(handle.db);
    orgB = await insertOrg(handle.db);
  });
  afterAll(async () => {
    await handle.close();
  });

  it("stores and reads an entry back whole, scoped by org", async () => {
    const store = createPostgresCacheStore(handle.db);
    await store.setMany([entry(orgA, "k1")]);
    const found = await store.get(orgA, "k1", NOW);
    expect(found).toEqual(entry(orgA, "k1"));
    expect(found!.meta.costMicros).toBe(1234n);
    // Another org's id never reaches this org's entry.
    expect(await store.get(orgB, "k1", NOW)).toBeNull();
  });

  it("never returns an expired row, and the cleanup removes only expired rows", async () => {
    const store = createPostgresCacheStore(handle.db);
    await store.setMany([
      entry(orgA, "old", { expiresAt: NOW + 1_000 }),
      entry(orgA, "new", { expiresAt: NOW + 100_000 }),
    ]);
    expect(await store.get(orgA, "old", NOW + 999)).not.toBeNull();
    expect(await store.get(orgA, "old", NOW + 1_000)).toBeNull();
    expect(await store.deleteExpired(NOW + 1_000)).toBeGreaterThanOrEqual(1);
    const keys = (await handle.db.select({ key: responseCache.key }).from(responseCache)).map(
      (r) => r.key,
    );
    expect(keys).not.toContain("old");
    expect(keys).toContain("new");
  });

  it("replaces an entry on a second write, also twice in one batch", async () => {
    const store = createPostgresCacheStore(handle.db);
    await store.setMany([
      entry(orgA, "dup", {}, completionText("one")),
      entry(orgA, "dup", {}, completionText("two")),
    ]);
    expect((await store.get(orgA, "dup", NOW))!.body).toBe(completionText("two"));
    await store.setMany([entry(orgA, "dup", {}, completionText("three"))]);
    expect((await store.get(orgA, "dup", NOW))!.body).toBe(completionText("three"));
  });

  it("writes the rest of a batch when one of its orgs was deleted meanwhile", async () => {
    const store = createPostgresCacheStore(handle.db);
    const doomed = await insertOrg(handle.db);
    await handle.db.delete(organizations).where(eq(organizations.id, doomed));
    await store.setMany([entry(doomed, "gone"), entry(orgB, "kept")]);
    expect(await store.get(orgB, "kept", NOW)).not.toBeNull();
    expect(await store.get(doomed, "gone", NOW)).toBeNull();
  });

  it("deletes an org's entries with the org, and clears one org on request", async () => {
    const store = createPostgresCacheStore(handle.db);
    const org = await insertOrg(handle.db);
    await store.setMany([entry(org, "a"), entry(org, "b"), entry(orgB, "other")]);
    expect(await store.clearOrg(org)).toBe(2);
    await store.setMany([entry(org, "c")]);
    await handle.db.delete(organizations).where(eq(organizations.id, org));
    const left = await handle.db.select().from(responseCache).where(eq(responseCache.orgId, org));
    expect(left).toEqual([]);
    expect(await store.get(orgB, "other", NOW)).not.toBeNull();
  });

  it("shares answers between two engines (two instances) over the table", async () => {
    const l2 = createSharedCacheStore({ database: handle });
    expect(l2.kind).toBe("postgres");
    const clock = fakeClock(NOW);
    const one = createResponseCache({ l2, clock, logger: recordingLogger().logger });
    const two = createResponseCache({ l2, clock, logger: recordingLogger().logger });
    const req = {
      orgId: orgA,
      endpoint: "chat.completions" as const,
      body: chatBody({ seed: 99 }),
      mode: "on" as const,
      ttlSeconds: 30,
    };
    const miss = await one.lookup(req);
    expect(miss.status).toBe("MISS");
    if (miss.status === "MISS") miss.store(answer());
    await one.flush();

    const hit = await two.lookup(req);
    expect(hit.status === "HIT" && hit.source).toBe("shared");
    expect(hit.status === "HIT" && hit.entry.meta.costMicros).toBe(42n);
    // The TTL holds in the shared tier too.
    const three = createResponseCache({
      l2,
      clock: fakeClock(NOW + 30_000),
      logger: recordingLogger().logger,
    });
    expect((await three.lookup(req)).status).toBe("MISS");
    expect((await three.deleteExpired()).shared).toBeGreaterThanOrEqual(1);
  });
});

describe("on PostgreSQL 15 without pgvector", () => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    const pg = await usePostgres(inject("postgresRunDir"));
    handle = await openDatabase({
      kind: "postgres",
      url: await pg.createDatabase("cache"),
      max: 2,
    });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("reports the semantic tier unavailable, and the exact cache still works", async () => {
    expect(handle.vectorAvailable).toBe(false);
    const semanticStore = createSemanticCacheStore(handle);
    expect(semanticStore.available).toBe(false);
    expect(semanticStore.unavailableReason).toMatch(/vector/);
    await expect(
      semanticStore.nearest({ orgId: "o", fingerprint: "f", embedding: [], now: NOW }),
    ).rejects.toThrow(/unavailable/);

    const org = await insertOrg(handle.db);
    const cache = createResponseCache({
      l2: createSharedCacheStore({ database: handle }),
      semantic: { store: semanticStore, embed: localEmbedder.embed },
      clock: fakeClock(NOW),
      logger: recordingLogger().logger,
    });
    expect(cache.semanticAvailable).toBe(false);
    const req = {
      orgId: org,
      endpoint: "chat.completions" as const,
      body: chatBody(),
      mode: "on" as const,
      ttlSeconds: 60,
      semantic: { threshold: 0.5 },
    };
    const miss = await cache.lookup(req);
    expect(miss.status).toBe("MISS");
    if (miss.status === "MISS") miss.store(answer());
    await cache.flush();
    expect(cache.stats().l2Writes).toMatchObject({ written: 1, dropped: 0 });

    const other = createResponseCache({
      l2: createPostgresCacheStore(handle.db),
      clock: fakeClock(NOW),
      logger: recordingLogger().logger,
    });
    const hit = await other.lookup(req);
    expect(hit.status === "HIT" && hit.source).toBe("shared");
    expect(await createPostgresCacheStore(handle.db).deleteExpired(NOW + 60_000)).toBe(1);
    expect((await other.lookup(req)).status).toBe("HIT"); // still in that instance's memory
  });
});
