import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc } from "drizzle-orm";
import { deleteExpiredCacheEntries } from "~/server/cache/response-cache/delete-expired-cache-entries";
import { createPgvectorSemanticStore } from "~/server/cache/response-cache/pgvector-semantic-store";
import type { DatabaseHandle } from "~/server/db/client";
import { responseCache } from "~/server/db/schema";
import { semanticCacheEntries } from "~/server/db/schema-vector/semantic-cache";
import { createTestDatabase } from "../helpers/db";
import { makeOrg } from "../helpers/factories";

/* Cache cleanup: expired rows of both cache tables go, live ones stay, in every org. */

const NOW = Date.parse("2026-05-01T12:00:00.000Z");
let handle: DatabaseHandle;
let orgA: string;
let orgB: string;

const unit = (i: number) => Array.from({ length: 384 }, (_, j) => (j === i ? 1 : 0));

beforeAll(async () => {
  handle = await createTestDatabase();
  orgA = (await makeOrg(handle.db, "Cache A")).org.id;
  orgB = (await makeOrg(handle.db, "Cache B")).org.id;
  const row = (orgId: string, key: string, expiresAt: number) => ({
    orgId,
    key,
    body: "{}",
    meta: {} as never,
    expiresAt: new Date(expiresAt),
  });
  await handle.db.insert(responseCache).values([
    row(orgA, "a-expired", NOW - 1),
    row(orgA, "a-at-now", NOW),
    row(orgA, "a-live", NOW + 1),
    row(orgB, "b-expired", NOW - 60_000),
    row(orgB, "b-live", NOW + 60_000),
  ]);
  const semantic = createPgvectorSemanticStore({ db: handle.db, vectorAvailable: handle.vectorAvailable });
  await semantic.insertMany([
    { orgId: orgA, key: "a-expired", fingerprint: "f", embedding: unit(1), expiresAt: NOW - 1 },
    { orgId: orgA, key: "a-live", fingerprint: "f", embedding: unit(2), expiresAt: NOW + 1 },
    { orgId: orgB, key: "b-expired", fingerprint: "f", embedding: unit(3), expiresAt: NOW - 5 },
  ]);
});
afterAll(async () => {
  await handle?.close();
});

describe("deleteExpiredCacheEntries", () => {
  it("removes expired exact answers (expiry at or before now) of every org, keeps live ones", async () => {
    expect(await deleteExpiredCacheEntries(handle, { tier: "exact", now: new Date(NOW) })).toBe(3);
    const left = await handle.db
      .select({ key: responseCache.key })
      .from(responseCache)
      .orderBy(asc(responseCache.key));
    expect(left.map((r) => r.key)).toEqual(["a-live", "b-live"]);
    // Nothing left to do: a second run is a no-op.
    expect(await deleteExpiredCacheEntries(handle, { tier: "exact", now: new Date(NOW) })).toBe(0);
  });

  it("removes expired semantic entries where the vector tables exist", async () => {
    expect(handle.vectorAvailable).toBe(true);
    expect(await deleteExpiredCacheEntries(handle, { tier: "semantic", now: new Date(NOW) })).toBe(2);
    const left = await handle.db.select({ key: semanticCacheEntries.cacheKey }).from(semanticCacheEntries);
    expect(left.map((r) => r.key)).toEqual(["a-live"]);
  });

  it("reports the semantic tier as absent on a database without pgvector", async () => {
    expect(
      await deleteExpiredCacheEntries(
        { db: handle.db, vectorAvailable: false },
        { tier: "semantic", now: new Date(NOW) },
      ),
    ).toBeNull();
  });
});
