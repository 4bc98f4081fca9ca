import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db/client";
import { requestLogs } from "~/server/db/schema";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture } from "../helpers/factories";

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;

type Row = typeof requestLogs.$inferInsert;
const T0 = Date.parse("2020-03-01T12:00:00.000Z");
let n = 0;

function row(org: OrgFixture, overrides: Partial<Row> = {}): Row {
  n += 1;
  return {
    id: `req_${String(n).padStart(4, "0")}`,
    orgId: org.org.id,
    apiKeyId: org.keyId,
    endpoint: "chat.completions",
    requestedModel: "gpt-4o-mini",
    servedModel: "gpt-4o-mini-2024-07-18",
    providerId: "openai",
    providerType: "openai",
    status: 200,
    latencyMs: 420,
    ttftMs: 180,
    upstreamMs: 410,
    promptTokens: 1000,
    completionTokens: 100,
    costMicros: 210n,
    requestBody: '{"model":"gpt-4o-mini"}',
    responseBody: '{"id":"chatcmpl-1"}',
    createdAt: new Date(T0 + n * 1000),
    ...overrides,
  };
}

const seeded: Record<string, Row> = {};

beforeAll(async () => {
  handle = await createTestDatabase();
  a = await makeOrg(handle.db, "Logs A");
  b = await makeOrg(handle.db, "Logs B");
  const rows: Row[] = [
    row(a, { id: "a_ok_1", clientRequestId: "client-trace-7" }),
    row(a, { id: "a_ok_2", requestedModel: "claude", servedModel: "claude-3-5-sonnet-20241022", providerId: "anthropic" }),
    row(a, { id: "a_429", status: 429, errorCode: "rate_limited", usage: undefined, costMicros: null, promptTokens: null } as Partial<Row>),
    row(a, {
      id: "a_500",
      status: 502,
      errorCode: "upstream_error",
      costMicros: null,
      routeName: "resilient",
      attempts: [
        { providerId: "primary", model: "gpt-4o-mini", status: 500, errorCode: "upstream_error", latencyMs: 12, startedAt: T0, outcome: "error" },
        { providerId: "backup", model: "gpt-4o-mini", status: 502, errorCode: "upstream_error", latencyMs: 20, startedAt: T0 + 12, outcome: "error" },
      ],
    }),
    row(a, { id: "a_nokey", apiKeyId: null, servedModel: "my-model", requestedModel: "my-model", costMicros: null, unpriced: true }),
    // A row claiming B's key: its name must not show in A's logs.
    row(a, { id: "a_foreign_key", apiKeyId: b.keyId }),
    row(b, { id: "b_secret", requestBody: "B's prompt", clientRequestId: "client-trace-7" }),
  ];
  await handle.db.insert(requestLogs).values(rows);
  for (const r of rows) seeded[r.id] = r;
  // Three rows within one millisecond (microseconds apart): paging must neither skip nor repeat them.
  for (const [id, at] of [
    ["a_tie_1", "2020-03-01 13:00:00.000100+00"],
    ["a_tie_2", "2020-03-01 13:00:00.000200+00"],
    ["a_tie_3", "2020-03-01 13:00:00.000300+00"],
  ] as const) {
    await handle.db.insert(requestLogs).values({ ...row(a, { id }), createdAt: sql`${at}::timestamptz` as unknown as Date });
  }
});
afterAll(async () => {
  await handle.close();
});

const viewer = () => callerFor(handle.db, a.users.viewer);
const slug = () => a.org.slug;

describe("logs.list", () => {
  it("lists the org's logs newest first, for a viewer", async () => {
    const { items, nextCursor } = await viewer().logs.list({ orgSlug: slug() });
    expect(items.map((i) => i.id)).toEqual([
      "a_tie_3",
      "a_tie_2",
      "a_tie_1",
      "a_foreign_key",
      "a_nokey",
      "a_500",
      "a_429",
      "a_ok_2",
      "a_ok_1",
    ]);
    expect(nextCursor).toBeNull();
    const first = items.find((i) => i.id === "a_ok_1")!;
    expect(first).toMatchObject({ keyName: "fixture key", costMicros: 210n, unpriced: false, latencyMs: 420 });
    expect(items.find((i) => i.id === "a_nokey")).toMatchObject({ keyName: null, costMicros: null, unpriced: true });
    // List rows carry no bodies.
    expect(JSON.stringify(items.map((i) => Object.keys(i)))).not.toMatch(/Body/);
  });

  it("never shows a key name from another org", async () => {
    const { items } = await viewer().logs.list({ orgSlug: slug() });
    expect(items.find((i) => i.id === "a_foreign_key")?.keyName).toBeNull();
  });

  it("pages with a keyset cursor, every row once, in order", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await viewer().logs.list({ orgSlug: slug(), limit: 2, cursor });
      seen.push(...res.items.map((i) => i.id));
      if (!res.nextCursor) break;
      cursor = res.nextCursor;
    }
    const all = (await viewer().logs.list({ orgSlug: slug(), limit: 200 })).items.map((i) => i.id);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(9);
  });

  it("filters by key, model (requested or served), status and time", async () => {
    const ids = async (input: Parameters<ReturnType<typeof viewer>["logs"]["list"]>[0]) =>
      (await viewer().logs.list(input)).items.map((i) => i.id).sort();
    expect(await ids({ orgSlug: slug(), keyId: a.keyId })).toEqual(
      ["a_500", "a_429", "a_ok_1", "a_ok_2", "a_tie_1", "a_tie_2", "a_tie_3"].sort(),
    );
    expect(await ids({ orgSlug: slug(), model: "claude" })).toEqual(["a_ok_2"]);
    expect(await ids({ orgSlug: slug(), model: "claude-3-5-sonnet-20241022" })).toEqual(["a_ok_2"]);
    expect(await ids({ orgSlug: slug(), status: "error" })).toEqual(["a_429", "a_500"]);
    expect(await ids({ orgSlug: slug(), status: 429 })).toEqual(["a_429"]);
    expect((await ids({ orgSlug: slug(), status: "success" })).includes("a_429")).toBe(false);
    expect(
      await ids({
        orgSlug: slug(),
        since: seeded.a_ok_2!.createdAt,
        until: seeded.a_500!.createdAt,
      }),
    ).toEqual(["a_429", "a_500", "a_ok_2"]);
    // By Switchyard's request id or the client's own x-request-id (never another org's row).
    expect(await ids({ orgSlug: slug(), requestId: "a_ok_2" })).toEqual(["a_ok_2"]);
    expect(await ids({ orgSlug: slug(), requestId: "client-trace-7" })).toEqual(["a_ok_1"]);
    expect(await ids({ orgSlug: slug(), requestId: "b_secret" })).toEqual([]);
    // A key id from another org simply matches nothing here.
    expect(await ids({ orgSlug: slug(), keyId: b.keyId })).toEqual(["a_foreign_key"]);
  });

  it("rejects a forged cursor", async () => {
    await expect(viewer().logs.list({ orgSlug: slug(), cursor: "bm90LWEtY3Vyc29y" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});

describe("logs.get", () => {
  it("returns a routed request's route and every attempt", async () => {
    const log = await viewer().logs.get({ orgSlug: slug(), id: "a_500" });
    expect(log.routeName).toBe("resilient");
    expect(log.attempts?.map((x) => `${x.providerId}:${x.outcome}:${x.status}`)).toEqual([
      "primary:error:500",
      "backup:error:502",
    ]);
  });

  it("returns one log with bodies, key and timing", async () => {
    const log = await viewer().logs.get({ orgSlug: slug(), id: "a_ok_1" });
    expect(log).toMatchObject({
      id: "a_ok_1",
      keyName: "fixture key",
      requestBody: '{"model":"gpt-4o-mini"}',
      costMicros: 210n,
      upstreamMs: 410,
    });
    expect(log.startedAt.getTime()).toBe(log.createdAt.getTime() - 420);
  });

  it("says which body was truncated", async () => {
    const cut = "x".repeat(32 * 1024 - 1); // what the writer leaves of a longer body (within one character of 32 KB)
    await handle.db
      .insert(requestLogs)
      .values(row(a, { id: "a_truncated", requestBody: cut, responseBody: '{"ok":true}', bodiesTruncated: true, createdAt: new Date(T0) }));
    const log = await viewer().logs.get({ orgSlug: slug(), id: "a_truncated" });
    expect(log).toMatchObject({ requestBodyTruncated: true, responseBodyTruncated: false });
    const whole = await viewer().logs.get({ orgSlug: slug(), id: "a_ok_1" });
    expect(whole).toMatchObject({ requestBodyTruncated: false, responseBodyTruncated: false });
  });

  it("another org's log id is NOT_FOUND", async () => {
    await expect(viewer().logs.get({ orgSlug: slug(), id: "b_secret" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(viewer().logs.get({ orgSlug: slug(), id: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("logs.filters", () => {
  it("lists the org's keys and the models it used", async () => {
    const filters = await viewer().logs.filters({ orgSlug: slug() });
    expect(filters.keys.map((k) => k.id)).toEqual([a.keyId]);
    // Models are looked up in the last 30 days: the seeded rows are from 2020, so none of them.
    expect(filters.models).toEqual([]);
    await handle.db.insert(requestLogs).values(row(a, { id: "a_recent", createdAt: new Date(), requestedModel: "fast", servedModel: "gpt-4o-mini" }));
    await handle.db.insert(requestLogs).values(row(b, { id: "b_recent", createdAt: new Date(), requestedModel: "b-only", servedModel: "b-only" }));
    expect((await viewer().logs.filters({ orgSlug: slug() })).models).toEqual(["fast", "gpt-4o-mini"]);
  });
});

describe("logs.settings", () => {
  it("every role reads the store-bodies switch; owners and admins change it", async () => {
    for (const role of ["owner", "admin", "developer", "viewer"] as const) {
      expect(await callerFor(handle.db, a.users[role]).logs.settings({ orgSlug: slug() })).toMatchObject({
        storeBodies: true,
      });
    }
    await expect(
      callerFor(handle.db, a.users.developer).logs.updateSettings({ orgSlug: slug(), storeBodies: false }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const updated = await callerFor(handle.db, a.users.admin).logs.updateSettings({ orgSlug: slug(), storeBodies: false });
    expect(updated.storeBodies).toBe(false);
    expect((await viewer().logs.settings({ orgSlug: slug() })).storeBodies).toBe(false);
    expect((await callerFor(handle.db, b.users.viewer).logs.settings({ orgSlug: b.org.slug })).storeBodies).toBe(true);
  });
});

describe("modelPrices", () => {
  it("admins set, list and remove custom prices in dollars per 1M tokens, stored as micro-dollars", async () => {
    const admin = callerFor(handle.db, a.users.admin);
    const saved = await admin.modelPrices.set({
      orgSlug: slug(),
      model: "my-model",
      inputPerMTok: "0.25",
      outputPerMTok: "1.5",
      cachedInputPerMTok: "",
    });
    expect(saved).toMatchObject({ inputMicrosPerMTok: 250_000n, outputMicrosPerMTok: 1_500_000n, cachedInputMicrosPerMTok: null });
    // Setting the same model again replaces it.
    await admin.modelPrices.set({ orgSlug: slug(), model: "MY-MODEL", inputPerMTok: "0.3", outputPerMTok: "1.5" });
    const list = await viewer().modelPrices.list({ orgSlug: slug() });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ model: "MY-MODEL", inputMicrosPerMTok: 300_000n });
    await admin.modelPrices.remove({ orgSlug: slug(), id: saved.id });
    expect(await viewer().modelPrices.list({ orgSlug: slug() })).toEqual([]);
  });

  it("refuses bad prices", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    for (const bad of ["-1", "abc", "0.0000001", "1e3", ""]) {
      await expect(
        owner.modelPrices.set({ orgSlug: slug(), model: "m", inputPerMTok: bad, outputPerMTok: "1" }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    await expect(
      owner.modelPrices.set({ orgSlug: slug(), model: "has space", inputPerMTok: "1", outputPerMTok: "1" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
