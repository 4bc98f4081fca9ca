import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db/client";
import { requestLogs } from "~/server/db/schema";
import {
  createRequestLogWriter,
  getRequestLogWriter,
  requestLogWriterFor,
  stopRequestLogWriter,
} from "~/server/request-log/request-log-writer";
import { setDatabase } from "~/server/db";
import { createTestDatabase } from "../helpers/db";
import { makeOrg, type OrgFixture } from "../helpers/factories";
import { countingDb, fakeDb, logEntry, quietLogger, waitFor } from "./helpers";

let handle: DatabaseHandle;
let org: OrgFixture;

beforeAll(async () => {
  handle = await createTestDatabase();
  org = await makeOrg(handle.db);
});
afterAll(async () => {
  await handle.close();
});

const HOUR = 3_600_000;
const storeAll = { get: () => ({ storeBodies: true }) };
const noPrice = async () => ({ unpriced: true as const });

async function rowsFor(orgId: string): Promise<number> {
  const [row] = await handle.db.select({ n: count() }).from(requestLogs).where(eq(requestLogs.orgId, orgId));
  return row!.n;
}

describe("batching", () => {
  it("writes a batch as soon as `batchSize` entries are queued, one INSERT per batch", async () => {
    const f = await makeOrg(handle.db);
    const { db, counter } = countingDb(handle.db);
    const writer = createRequestLogWriter(db, { batchSize: 10, flushIntervalMs: HOUR, settings: storeAll, priceRequest: noPrice });
    for (let i = 0; i < 25; i++) writer.record(logEntry(f.org.id));
    // Nothing is written inside `record` itself.
    expect(writer.stats()).toMatchObject({ queued: 25, written: 0 });
    await waitFor(() => writer.stats().written === 20);
    expect(await rowsFor(f.org.id)).toBe(20);
    expect(counter.inserts).toBe(2);
    expect(writer.stats()).toMatchObject({ queued: 5, written: 20, dropped: 0, failedBatches: 0 });
    await writer.stop();
    expect(await rowsFor(f.org.id)).toBe(25);
    expect(counter.inserts).toBe(3);
  });

  it("writes a partial batch when the interval passes, without an explicit flush", async () => {
    const f = await makeOrg(handle.db);
    const writer = createRequestLogWriter(handle.db, {
      batchSize: 500,
      flushIntervalMs: 50,
      settings: storeAll,
      priceRequest: noPrice,
    });
    for (let i = 0; i < 3; i++) writer.record(logEntry(f.org.id));
    expect(await rowsFor(f.org.id)).toBe(0);
    await waitFor(async () => (await rowsFor(f.org.id)) === 3);
    expect(writer.stats()).toMatchObject({ queued: 0, written: 3 });
    await writer.stop();
  });

  it("loses no entry on stop() with 5,000 queued", async () => {
    const f = await makeOrg(handle.db);
    const writer = createRequestLogWriter(handle.db, { flushIntervalMs: HOUR, settings: storeAll, priceRequest: noPrice });
    for (let i = 0; i < 5_000; i++) writer.record(logEntry(f.org.id));
    expect(writer.stats().queued).toBe(5_000);
    await writer.stop();
    expect(writer.stats()).toEqual({ queued: 0, written: 5_000, dropped: 0, failedBatches: 0 });
    expect(await rowsFor(f.org.id)).toBe(5_000);
  }, 120_000);

  it("flush() waits for a batch already being written", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { db } = fakeDb(async () => gate);
    const writer = createRequestLogWriter(db, { batchSize: 2, flushIntervalMs: HOUR, settings: storeAll, priceRequest: noPrice });
    writer.record(logEntry("org_x"));
    writer.record(logEntry("org_x"));
    await waitFor(() => writer.stats().queued === 2); // in flight
    let flushed = false;
    const flushing = writer.flush().then(() => (flushed = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(flushed).toBe(false);
    release();
    await flushing;
    expect(writer.stats()).toMatchObject({ queued: 0, written: 2 });
    await writer.stop();
  });
});

describe("back-pressure and failures", () => {
  it("drops and counts entries when the queue is full; the caller never waits on the database", async () => {
    const { db } = fakeDb(() => new Promise(() => {})); // the database hangs forever
    const { logger, lines } = quietLogger();
    const writer = createRequestLogWriter(db, {
      maxQueue: 100,
      batchSize: 10,
      flushIntervalMs: 40,
      settings: storeAll,
      priceRequest: noPrice,
      logger,
    });
    const started = performance.now();
    for (let i = 0; i < 1_000; i++) expect(writer.record(logEntry("org_x"))).toBeUndefined();
    const elapsed = performance.now() - started;
    expect(writer.stats()).toMatchObject({ queued: 100, dropped: 900, written: 0 });
    expect(elapsed).toBeLessThan(1_000);
    // Reported by the timer, once per interval, not once per dropped entry.
    await waitFor(() => lines.some((l) => l.msg.includes("queue full")));
    const warnings = lines.filter((l) => l.msg.includes("queue full"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields).toMatchObject({ dropped: 900 });
    for (let i = 0; i < 5; i++) writer.record(logEntry("org_x"));
    await waitFor(() => lines.filter((l) => l.msg.includes("queue full")).length === 2);
    expect(lines.filter((l) => l.msg.includes("queue full"))[1]!.fields).toMatchObject({ dropped: 5, droppedTotal: 905 });
    // Still hanging: a batch of 10 is in flight and the queue holds the rest.
    expect(writer.stats().queued).toBe(100);
  });

  it("stop() gives up on a database that never answers, counting what was lost", async () => {
    const { db } = fakeDb(() => new Promise(() => {}));
    const { logger, lines } = quietLogger();
    const writer = createRequestLogWriter(db, { batchSize: 2, flushIntervalMs: HOUR, settings: storeAll, priceRequest: noPrice, logger });
    for (let i = 0; i < 5; i++) writer.record(logEntry("org_x"));
    await writer.stop({ timeoutMs: 100 });
    expect(writer.stats()).toEqual({ queued: 0, written: 0, dropped: 5, failedBatches: 0 });
    expect(lines.some((l) => l.level === "error" && l.fields?.lost === 5)).toBe(true);
  });

  it("retries a failed batch once, then counts and drops it without throwing", async () => {
    const { db, calls } = fakeDb(() => Promise.reject(new Error("connection refused")));
    const { logger, lines } = quietLogger();
    const writer = createRequestLogWriter(db, {
      batchSize: 3,
      flushIntervalMs: HOUR,
      retryDelayMs: 5,
      settings: storeAll,
      priceRequest: noPrice,
      logger,
    });
    for (let i = 0; i < 5; i++) writer.record(logEntry("org_x"));
    await expect(writer.flush()).resolves.toBeUndefined();
    expect(calls).toHaveLength(4); // two batches (3 + 2), each tried twice
    expect(writer.stats()).toEqual({ queued: 0, written: 0, dropped: 5, failedBatches: 2 });
    expect(lines.filter((l) => l.level === "error" && l.msg.includes("dropped"))).toHaveLength(2);
    // And the writer keeps working afterwards.
    writer.record(logEntry("org_x"));
    await writer.stop();
    expect(writer.stats().failedBatches).toBe(3);
  });

  it("a batch that fails once and then succeeds is written", async () => {
    let attempts = 0;
    const { db, calls } = fakeDb(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error("deadlock detected");
    });
    const writer = createRequestLogWriter(db, {
      flushIntervalMs: HOUR,
      retryDelayMs: 1,
      settings: storeAll,
      priceRequest: noPrice,
      logger: quietLogger().logger,
    });
    writer.record(logEntry("org_x"));
    writer.record(logEntry("org_x"));
    await writer.stop();
    expect(calls).toHaveLength(2);
    expect(writer.stats()).toEqual({ queued: 0, written: 2, dropped: 0, failedBatches: 0 });
  });

  it("a real database error (unknown org: foreign key) is counted, not thrown", async () => {
    const { logger } = quietLogger();
    const writer = createRequestLogWriter(handle.db, {
      flushIntervalMs: HOUR,
      retryDelayMs: 1,
      settings: storeAll,
      priceRequest: noPrice,
      logger,
    });
    writer.record(logEntry("org_that_does_not_exist"));
    await writer.stop();
    expect(writer.stats()).toEqual({ queued: 0, written: 0, dropped: 1, failedBatches: 1 });
  });

  it("settings that cannot be read mean bodies are not stored", async () => {
    const f = await makeOrg(handle.db);
    const writer = createRequestLogWriter(handle.db, {
      flushIntervalMs: HOUR,
      settings: { get: () => Promise.reject(new Error("timeout")) },
      priceRequest: noPrice,
      logger: quietLogger().logger,
    });
    const entry = logEntry(f.org.id);
    writer.record(entry);
    await writer.stop();
    const [row] = await handle.db.select().from(requestLogs).where(eq(requestLogs.id, entry.id));
    expect(row).toMatchObject({ requestBody: null, responseBody: null });
  });
});

describe("what a row holds", () => {
  async function writeOne(overrides: Parameters<typeof logEntry>[1], options: Parameters<typeof createRequestLogWriter>[1] = {}) {
    const entry = logEntry(org.org.id, overrides);
    const writer = createRequestLogWriter(handle.db, { flushIntervalMs: HOUR, ...options });
    writer.record(entry);
    await writer.stop();
    const [row] = await handle.db.select().from(requestLogs).where(eq(requestLogs.id, entry.id));
    return row!;
  }

  it("prices the request at flush time (gpt-4o-mini: 1,000 in + 100 out = 210 µ$)", async () => {
    const row = await writeOne({});
    expect(row).toMatchObject({ costMicros: 210n, unpriced: false, promptTokens: 1000, completionTokens: 100 });
  });

  it("an unknown model is unpriced (null cost), a request without usage has no cost at all", async () => {
    expect(await writeOne({ servedModel: "no-such-model-42", requestedModel: "no-such-model-42" })).toMatchObject({
      costMicros: null,
      unpriced: true,
    });
    expect(await writeOne({ usage: null, status: 401, errorCode: "invalid_api_key" })).toMatchObject({
      costMicros: null,
      unpriced: false,
      promptTokens: null,
    });
  });

  it("keeps a routed request's route name and every attempt; a direct request has neither", async () => {
    const attempts = [
      { providerId: "primary", model: "gpt-4o-mini", status: 500, errorCode: "upstream_error", latencyMs: 12, startedAt: 1_893_456_000_000, outcome: "error" as const },
      { providerId: "primary", model: "gpt-4o-mini", status: null, errorCode: "circuit_open", latencyMs: 0, startedAt: 1_893_456_000_012, outcome: "skipped-open" as const },
      { providerId: "backup", model: "gpt-4o-mini", status: 200, errorCode: null, latencyMs: 30, startedAt: 1_893_456_000_013, outcome: "ok" as const },
    ];
    const routed = await writeOne({ routeName: "resilient", attempts, providerId: "backup" });
    expect(routed).toMatchObject({ routeName: "resilient", providerId: "backup" });
    expect(routed.attempts).toEqual(attempts);
    expect(await writeOne({})).toMatchObject({ routeName: null, attempts: null });
  });

  it("records when the request finished, and rounds timings to integers", async () => {
    const row = await writeOne({ latencyMs: 250.6, ttftMs: 99.4, upstreamMs: 240.2 });
    expect(row.createdAt.toISOString()).toBe("2030-01-01T00:00:00.251Z");
    expect(row).toMatchObject({ latencyMs: 251, ttftMs: 99, upstreamMs: 240 });
  });

  it("truncates each body beyond the limit and flags it", async () => {
    const big = JSON.stringify({ messages: [{ role: "user", content: "é".repeat(40_000) }] });
    const row = await writeOne({ requestBody: big }, { maxBodyBytes: 1024 });
    expect(row.bodiesTruncated).toBe(true);
    expect(Buffer.byteLength(row.requestBody!, "utf8")).toBeLessThanOrEqual(1024);
    expect(Buffer.byteLength(row.requestBody!, "utf8")).toBeGreaterThan(1020);
    expect(big.startsWith(row.requestBody!)).toBe(true); // cut on a character boundary
    expect(row.responseBody).toBe(logEntry(org.org.id).responseBody);
    const small = await writeOne({}, { maxBodyBytes: 1024 });
    expect(small.bodiesTruncated).toBe(false);
  });

  it("stores no bodies for an org that turned them off", async () => {
    const row = await writeOne({}, { settings: { get: () => ({ storeBodies: false }) } });
    expect(row).toMatchObject({ requestBody: null, responseBody: null, bodiesTruncated: false, costMicros: 210n });
  });

  it("redacts obvious secrets from bodies and error messages", async () => {
    const syKey = `sy-${"A1b2C3d4".repeat(5)}`;
    const skKey = `sk-proj-${"x9Y8z7".repeat(6)}`;
    const row = await writeOne({
      requestBody: JSON.stringify({ messages: [{ role: "user", content: `my keys: ${syKey} and ${skKey}` }] }),
      responseBody: "Authorization: Bearer abc.def.ghi-12345",
      status: 401,
      errorMessage: `Incorrect API key provided: ${skKey}`,
    });
    const stored = `${row.requestBody} ${row.responseBody} ${row.errorMessage}`;
    expect(stored).not.toContain(syKey);
    expect(stored).not.toContain(skKey);
    expect(stored).not.toContain("abc.def.ghi");
    expect(row.requestBody).toContain("[REDACTED:SWITCHYARD_API_KEY]");
    expect(row.responseBody).toMatch(/^Authorization: Bearer \[REDACTED:[A-Z_]+\]$/);
  });

  it("a secret straddling the size limit is redacted, not half-kept", async () => {
    const secret = `sk-${"Q".repeat(60)}`;
    const body = `${"a".repeat(1000)} ${secret} ${"b".repeat(5000)}`;
    const row = await writeOne({ requestBody: body }, { maxBodyBytes: 1030 });
    expect(row.requestBody).not.toContain("QQQQ");
    expect(row.bodiesTruncated).toBe(true);
  });

  it("NUL characters do not fail the batch", async () => {
    const row = await writeOne({ requestBody: "a\u0000b", errorMessage: "x\u0000y" });
    expect(row.requestBody).toBe("a\uFFFDb");
    expect(row.errorMessage).toBe("x\uFFFDy");
  });
});

describe("the process-wide writer", () => {
  it("is one writer per database handle, stopped and replaced with it", async () => {
    setDatabase(handle);
    const a = await getRequestLogWriter();
    expect(await getRequestLogWriter()).toBe(a);
    expect(requestLogWriterFor(handle)).toBe(a);
    const entry = logEntry(org.org.id);
    a.record(entry);
    await stopRequestLogWriter();
    const [row] = await handle.db.select().from(requestLogs).where(eq(requestLogs.id, entry.id));
    expect(row?.id).toBe(entry.id);
    const b = await getRequestLogWriter();
    expect(b).not.toBe(a);
    await stopRequestLogWriter();
  });
});
