import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "~/server/db/client";
import { getUsageSeries } from "~/features/usage/server/get-usage-series";
import { getUsageTotals } from "~/features/usage/server/get-usage-totals";
import { listTopKeys } from "~/features/usage/server/list-top-keys";
import { listUnpricedModels } from "~/features/usage/server/list-unpriced-models";
import { resolveUsageRange } from "~/features/usage/usage-range";
import { createTestDatabase } from "../helpers/db";
import { makeOrg } from "../helpers/factories";
import { usePostgres } from "../setup/postgres";
import { DAY, DAY1, HOUR, seedUsage, TWO_DAYS, type UsageSeed } from "./seed";

/*
 * The usage queries on the embedded database (PGlite) and on a real PostgreSQL 15: exact to the
 * micro-dollar, buckets filled, another org's rows never counted, unpriced never summed as $0.
 */

const databases: [string, () => Promise<DatabaseHandle>][] = [
  ["PGlite", createTestDatabase],
  [
    "PostgreSQL",
    async () => {
      const pg = await usePostgres(inject("postgresRunDir"));
      return openDatabase({ kind: "postgres", url: await pg.createDatabase("usage"), max: 2 });
    },
  ],
];

describe.each(databases)("usage queries on %s", (_name, open) => {
  let handle: DatabaseHandle;
  let seed: UsageSeed;
  const twoDays = resolveUsageRange(TWO_DAYS);

  beforeAll(async () => {
    handle = await open();
    seed = await seedUsage(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("totals: exact micro-dollars, unpriced counted apart, cache hit rate and savings", async () => {
    const totals = await getUsageTotals(handle.db, { orgId: seed.a.org.id, range: twoDays });
    expect(totals).toMatchObject({
      bucket: "hour",
      requests: 8,
      errors: 1,
      // 1,234,567 + 0 (cache hit) + 999,999 + 3 + 11: the unpriced and the refused add nothing.
      spendMicros: 2_234_580n,
      pricedRequests: 5,
      unpricedRequests: 2,
      promptTokens: 5141,
      completionTokens: 1128,
      cachedTokens: 100,
      cacheHits: 2,
      semanticHits: 1,
      cacheLookups: 4,
      hitRate: 0.5,
      savedMicros: 750_001n,
      hasTraffic: true,
    });
  });

  it("totals of another org and of an org without traffic", async () => {
    const b = await getUsageTotals(handle.db, { orgId: seed.b.org.id, range: twoDays });
    expect(b).toMatchObject({
      requests: 2,
      spendMicros: 1_000_000_000n,
      unpricedRequests: 1,
      savedMicros: 77n,
      cacheLookups: 1,
      hitRate: 1,
    });
    const quiet = await makeOrg(handle.db, "Quiet");
    const none = await getUsageTotals(handle.db, { orgId: quiet.org.id, range: twoDays });
    expect(none).toMatchObject({
      requests: 0,
      spendMicros: 0n,
      savedMicros: 0n,
      hitRate: null,
      hasTraffic: false,
    });
    // Traffic outside the range: nothing in it, but the org is not new.
    const later = resolveUsageRange({
      since: new Date(DAY1 + 10 * DAY),
      until: new Date(DAY1 + 11 * DAY),
    });
    expect(await getUsageTotals(handle.db, { orgId: seed.a.org.id, range: later })).toMatchObject({
      requests: 0,
      hasTraffic: true,
    });
  });

  it("series by model, hourly: 48 filled buckets, top 2 + other, exact per bucket", async () => {
    const result = await getUsageSeries(handle.db, {
      orgId: seed.a.org.id,
      range: twoDays,
      by: "model",
      top: 2,
    });
    expect(result.bucket).toBe("hour");
    expect(result.buckets).toHaveLength(48);
    expect(result.buckets[0]!.toISOString()).toBe("2025-03-01T00:00:00.000Z");
    expect(result.buckets[47]!.toISOString()).toBe("2025-03-02T23:00:00.000Z");
    expect(result.series.map((s) => [s.id, s.kind])).toEqual([
      ["gpt-4o", "value"],
      ["claude-3-5-sonnet", "value"],
      ["__other__", "other"],
    ]);
    for (const s of result.series) expect(s.points).toHaveLength(48);
    const [gpt, claude, other] = result.series;
    expect(gpt!.total).toMatchObject({
      requests: 4,
      spendMicros: 1_234_578n,
      promptTokens: 2001,
      completionTokens: 401,
    });
    expect(gpt!.points[0]).toMatchObject({
      requests: 2,
      spendMicros: 1_234_567n,
      cacheHits: 1,
      savedMicros: 500_000n,
    });
    expect(gpt!.points[12]).toMatchObject({ requests: 1, spendMicros: 11n });
    expect(gpt!.points[34]).toMatchObject({ requests: 1, spendMicros: 0n, pricedRequests: 0 });
    expect(gpt!.points[1]).toMatchObject({ requests: 0, spendMicros: 0n, promptTokens: 0 });
    expect(claude!.points[5]).toMatchObject({ requests: 1, spendMicros: 999_999n });
    // Other = my-llama (unpriced, twice) + gpt-4o-mini ($0.000003).
    expect(other!.label).toBe("Other");
    expect(other!.total).toMatchObject({
      requests: 3,
      spendMicros: 3n,
      unpricedRequests: 2,
      pricedRequests: 1,
    });
    expect(other!.points[5]).toMatchObject({ requests: 1, unpricedRequests: 1, spendMicros: 0n });
    expect(other!.points[47]).toMatchObject({ requests: 1, spendMicros: 3n });
    // Every bucket of every series adds up to the totals, to the micro-dollar.
    const sum = result.series.flatMap((s) => s.points).reduce((acc, p) => acc + p.spendMicros, 0n);
    expect(sum).toBe(2_234_580n);
  });

  it("series by end user: requests without a user are a series of their own", async () => {
    const result = await getUsageSeries(handle.db, {
      orgId: seed.a.org.id,
      range: twoDays,
      by: "user",
      top: 6,
    });
    expect(result.series.map((s) => s.id)).toEqual([
      "alice",
      "__none__",
      "=cmd|' /C calc'!A0",
      "bob",
      "carol",
    ]);
    const none = result.series[1]!;
    expect(none).toMatchObject({ kind: "none", label: "(no user)" });
    expect(none.total).toMatchObject({ requests: 3, spendMicros: 11n, unpricedRequests: 1 });
    expect(result.series[0]!.total.spendMicros).toBe(2_234_566n);
  });

  it("series by key: names of the org's keys only; a foreign key id shows as an id", async () => {
    const result = await getUsageSeries(handle.db, {
      orgId: seed.a.org.id,
      range: twoDays,
      by: "key",
      top: 6,
    });
    expect(result.series.map((s) => [s.id, s.label])).toEqual([
      [seed.keys.main, "fixture key"],
      [seed.keys.batch, "=batch,jobs"],
      [seed.bKey, seed.bKey],
      [seed.keys.dev, "dev"],
    ]);
  });

  it("series by day over a week: 7 buckets, the edges of the two seeded days where they belong", async () => {
    const week = resolveUsageRange({
      since: new Date(DAY1 - 2 * DAY),
      until: new Date(DAY1 + 5 * DAY),
    });
    const result = await getUsageSeries(handle.db, {
      orgId: seed.a.org.id,
      range: week,
      by: "provider",
      top: 6,
    });
    expect(result.bucket).toBe("day");
    expect(result.buckets.map((b) => b.toISOString().slice(0, 10))).toEqual([
      "2025-02-27",
      "2025-02-28",
      "2025-03-01",
      "2025-03-02",
      "2025-03-03",
      "2025-03-04",
      "2025-03-05",
    ]);
    const openai = result.series.find((s) => s.id === "openai")!;
    expect(openai.points.map((p) => p.spendMicros)).toEqual([
      0n,
      7n,
      1_234_578n,
      3n,
      10_000_000n,
      0n,
      0n,
    ]);
    expect(result.series.find((s) => s.id === "__none__")!.total).toMatchObject({
      requests: 1,
      spendMicros: 0n,
    });
  });

  it("an hour range with a partial first bucket starts at that bucket", async () => {
    const range = resolveUsageRange({
      since: new Date(DAY1 + 30 * 60_000),
      until: new Date(DAY1 + 2 * HOUR),
    });
    const result = await getUsageSeries(handle.db, {
      orgId: seed.a.org.id,
      range,
      by: "model",
      top: 6,
    });
    expect(result.buckets.map((b) => b.toISOString())).toEqual([
      "2025-03-01T00:00:00.000Z",
      "2025-03-01T01:00:00.000Z",
    ]);
    // Only the 00:50 request is inside the range.
    expect(result.series.map((s) => [s.id, s.total.requests, s.points[0]!.requests])).toEqual([
      ["gpt-4o", 1, 1],
    ]);
  });

  it("top keys: spend, tokens and share; B's rows never counted", async () => {
    const rows = await listTopKeys(handle.db, { orgId: seed.a.org.id, range: twoDays, limit: 10 });
    expect(rows.map((r) => [r.keyId, r.name, r.requests, r.spendMicros])).toEqual([
      [seed.keys.main, "fixture key", 3, 1_234_567n],
      [seed.keys.batch, "=batch,jobs", 2, 999_999n],
      [seed.bKey, null, 1, 11n],
      [seed.keys.dev, "dev", 2, 3n],
    ]);
    const main = rows[0]!;
    expect(main.spendShare).toBeCloseTo(1_234_567 / 2_234_580, 9);
    expect(main.requestShare).toBeCloseTo(3 / 8, 9);
    expect(rows[1]).toMatchObject({
      unpricedRequests: 1,
      promptTokens: 3050,
      completionTokens: 705,
      revoked: false,
    });
    expect(main.prefix).toMatch(/^sy-/);
    const limited = await listTopKeys(handle.db, {
      orgId: seed.a.org.id,
      range: twoDays,
      limit: 1,
    });
    // The share is of the whole range, not of the rows shown.
    expect(limited).toHaveLength(1);
    expect(limited[0]!.spendShare).toBe(main.spendShare);
  });

  it("unpriced models: by model and provider, with tokens and last seen", async () => {
    const rows = await listUnpricedModels(handle.db, {
      orgId: seed.a.org.id,
      range: twoDays,
      limit: 10,
    });
    expect(rows).toEqual([
      {
        model: "my-llama",
        providerId: "vllm",
        requests: 2,
        promptTokens: 130,
        completionTokens: 25,
        lastSeen: new Date(DAY1 + 34 * HOUR),
      },
    ]);
    const b = await listUnpricedModels(handle.db, {
      orgId: seed.b.org.id,
      range: twoDays,
      limit: 10,
    });
    expect(b.map((r) => r.requests)).toEqual([1]);
  });
});
