import type { Db } from "~/server/db";
import { requestLogs } from "~/server/db/schema";
import { userActor } from "~/server/domain/actor";
import { createApiKey } from "~/features/api-keys/server/create-api-key";
import { makeOrg, type OrgFixture } from "../helpers/factories";

/*
 * Usage fixtures: two orgs with traffic in the same two days (2025-03-01 and 2025-03-02, UTC),
 * several keys, models, providers and end users, priced and unpriced requests, cache hits.
 * The expected figures in the tests are worked out by hand from these rows.
 */

export type LogRow = typeof requestLogs.$inferInsert;

export const DAY1 = Date.parse("2025-03-01T00:00:00.000Z");
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

let n = 0;
export function logRow(orgId: string, overrides: Partial<LogRow>): LogRow {
  n += 1;
  return {
    id: `req_usage_${n.toString().padStart(5, "0")}_${Math.random().toString(36).slice(2, 8)}`,
    orgId,
    endpoint: "chat.completions",
    requestedModel: "gpt-4o",
    servedModel: "gpt-4o",
    providerId: "openai",
    providerType: "openai",
    status: 200,
    latencyMs: 300,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    costMicros: 0n,
    unpriced: false,
    createdAt: new Date(DAY1),
    ...overrides,
  };
}

export interface UsageSeed {
  a: OrgFixture;
  b: OrgFixture;
  /** A's keys: `main` (the fixture key, "fixture key"), `batch` ("batch=jobs"), `dev` ("dev"). */
  keys: { main: string; batch: string; dev: string };
  bKey: string;
}

export async function seedUsage(db: Db): Promise<UsageSeed> {
  const a = await makeOrg(db, "Usage A");
  const b = await makeOrg(db, "Usage B");
  const actor = userActor(a.users.owner);
  // A formula-looking key name: the CSV must not hand it to a spreadsheet as a formula.
  const batch = await createApiKey(db, { orgId: a.org.id, actor, input: { name: "=batch,jobs" } });
  const dev = await createApiKey(db, { orgId: a.org.id, actor, input: { name: "dev" } });
  const keys = { main: a.keyId, batch: batch.apiKey.id, dev: dev.apiKey.id };
  const at = (hours: number, ms = 0) => new Date(DAY1 + hours * HOUR + ms);
  const A = a.org.id;
  const B = b.org.id;
  const rows: LogRow[] = [
    // Day 1, hour 0: two gpt-4o requests on the main key; the second a cache hit.
    logRow(A, {
      apiKeyId: keys.main,
      endUser: "alice",
      promptTokens: 1000,
      completionTokens: 200,
      cachedTokens: 100,
      costMicros: 1_234_567n,
      cacheStatus: "miss",
      createdAt: at(0, 10 * 60_000),
    }),
    logRow(A, {
      apiKeyId: keys.main,
      endUser: "bob",
      promptTokens: 1000,
      completionTokens: 200,
      costMicros: 0n,
      cacheStatus: "hit",
      savedMicros: 500_000n,
      createdAt: at(0, 50 * 60_000),
    }),
    // Hour 5: claude on the batch key (semantic hit saved), an unpriced self-hosted model on it too.
    logRow(A, {
      apiKeyId: keys.batch,
      endUser: "alice",
      requestedModel: "claude",
      servedModel: "claude-3-5-sonnet",
      providerId: "anthropic",
      promptTokens: 3000,
      completionTokens: 700,
      costMicros: 999_999n,
      cacheStatus: "semantic_hit",
      savedMicros: 250_001n,
      createdAt: at(5),
    }),
    logRow(A, {
      apiKeyId: keys.batch,
      requestedModel: "my-llama",
      servedModel: "my-llama",
      providerId: "vllm",
      promptTokens: 50,
      completionTokens: 5,
      costMicros: null,
      unpriced: true,
      cacheStatus: "miss",
      createdAt: at(5, 30 * 60_000),
    }),
    // Day 2, hour 34: the same unpriced model again, and a refused request (no model served, no cost).
    logRow(A, {
      apiKeyId: keys.dev,
      endUser: "carol",
      requestedModel: "my-llama",
      servedModel: "my-llama",
      providerId: "vllm",
      promptTokens: 80,
      completionTokens: 20,
      costMicros: null,
      unpriced: true,
      createdAt: at(34),
    }),
    logRow(A, {
      apiKeyId: keys.main,
      requestedModel: "gpt-4o",
      servedModel: null,
      providerId: null,
      status: 429,
      errorCode: "rate_limited",
      promptTokens: null,
      completionTokens: null,
      cachedTokens: null,
      costMicros: null,
      createdAt: at(34, 1000),
    }),
    // The last microsecond-ish of the range: a cheap request with caching bypassed.
    logRow(A, {
      apiKeyId: keys.dev,
      endUser: "=cmd|' /C calc'!A0",
      requestedModel: "gpt-4o-mini",
      servedModel: "gpt-4o-mini",
      promptTokens: 10,
      completionTokens: 2,
      costMicros: 3n,
      cacheStatus: "bypass",
      createdAt: at(47, 59 * 60_000 + 59_999),
    }),
    // A row claiming B's key id: counted for A, but B's key name never shows.
    logRow(A, {
      apiKeyId: b.keyId,
      servedModel: "gpt-4o",
      promptTokens: 1,
      completionTokens: 1,
      costMicros: 11n,
      createdAt: at(12),
    }),
    // Outside the two days: the end is exclusive, the start inclusive.
    logRow(A, { apiKeyId: keys.main, costMicros: 10_000_000n, promptTokens: 5, createdAt: at(48) }),
    logRow(A, { apiKeyId: keys.main, costMicros: 7n, promptTokens: 5, createdAt: at(0, -1) }),
    // Org B, same days: big numbers that must never reach A's figures.
    logRow(B, {
      apiKeyId: b.keyId,
      endUser: "alice",
      promptTokens: 999_000,
      completionTokens: 999_000,
      costMicros: 1_000_000_000n,
      cacheStatus: "hit",
      savedMicros: 77n,
      createdAt: at(1),
    }),
    logRow(B, {
      apiKeyId: b.keyId,
      servedModel: "my-llama",
      promptTokens: 9,
      completionTokens: 9,
      costMicros: null,
      unpriced: true,
      createdAt: at(2),
    }),
  ];
  await db.insert(requestLogs).values(rows);
  return { a, b, keys, bKey: b.keyId };
}

/** The two seeded days, as the views take them. */
export const TWO_DAYS = { since: new Date(DAY1), until: new Date(DAY1 + 2 * DAY) };
