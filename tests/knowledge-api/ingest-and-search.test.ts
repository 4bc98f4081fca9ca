import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayError } from "~/gateway/gateway-error";
import type { Attributes, KnowledgeBase } from "~/gateway/knowledge/types";
import type { JobStep } from "~/jobs/define-job";
import type { IngestFileEvent } from "~/jobs/knowledge/ingest-file";
import type { DatabaseHandle } from "~/server/db/client";
import { runIngestion, EMBED_BATCH } from "~/server/knowledge/ingest/run-ingestion";
import { createKnowledgeBase } from "~/server/knowledge/knowledge-base";
import { fuseRankings, fullTextQuery } from "~/server/knowledge/search/hybrid-search";
import { insertOrg } from "../gateway/db-fixtures";
import { createTestDatabase } from "../helpers/db";

/**
 * Ingestion steps and hybrid search on a real (in-memory PGlite + pgvector) database: progress on
 * the file's row, idempotent steps, attribute filters, fusion, and another org's ids.
 */

let handle: DatabaseHandle;
let kb: KnowledgeBase;
let orgA: string;
let orgB: string;
const queued: IngestFileEvent[] = [];
const noProviders = { listForOrg: () => [] };
const logger = { info() {}, warn() {}, error() {} };

/** Memoizes completed steps like a durable driver; `crashAfter` throws once after that step ran. */
function stepRunner(crashAfter?: string): JobStep & { ran: string[] } {
  const done = new Map<string, unknown>();
  let crashed = false;
  const ran: string[] = [];
  return {
    ran,
    async run<T>(id: string, fn: () => Promise<T> | T): Promise<T> {
      if (done.has(id)) return done.get(id) as T;
      const value = await fn();
      ran.push(id);
      if (id === crashAfter && !crashed) {
        crashed = true;
        throw new Error("process died after the step's work, before it was recorded");
      }
      done.set(id, value);
      return value;
    },
  };
}

async function ingest(event: IngestFileEvent, step: JobStep = stepRunner(), runKey = "run-1") {
  return runIngestion({ db: handle.db, providers: noProviders, logger }, { ...event, runKey, finalAttempt: true }, step);
}

async function upload(orgId: string, filename: string, text: string) {
  return kb.uploadFile(orgId, { filename, purpose: "assistants", contentType: null, bytes: new TextEncoder().encode(text) });
}

const paragraphs = (n: number) =>
  Array.from({ length: n }, (_, i) => `Paragraph ${i} talks about topic number ${i} in some detail, with a few more words to fill it.`).join("\n\n");

beforeAll(async () => {
  handle = await createTestDatabase();
  expect(handle.vectorAvailable).toBe(true);
  kb = createKnowledgeBase({
    handle,
    providers: noProviders,
    maxFileBytes: 1024 * 1024,
    enqueue: async (event) => void queued.push(event),
  });
  orgA = await insertOrg(handle.db);
  orgB = await insertOrg(handle.db);
}, 180_000);

afterAll(async () => {
  await handle?.close();
});

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows);
const chunkCount = async (storeId: string) =>
  rowsOf<{ n: number }>(await handle.db.execute(sql`select count(*)::int as n from knowledge_chunks where vector_store_id = ${storeId}`))[0]!.n;

describe("ingestion", () => {
  it("writes progress to the file's row and stores every chunk once", async () => {
    const store = await kb.createStore(orgA, { name: "A", chunkSize: 200, chunkOverlap: 0, embeddingModel: null, metadata: {}, fileIds: [] });
    const file = await upload(orgA, "long.txt", paragraphs(150));
    const added = await kb.addFile(orgA, store.id, { fileId: file.id, attributes: { kind: "notes" } });
    expect(added?.switchyard.status).toBe("queued");
    expect(queued.at(-1)).toEqual({ orgId: orgA, vectorStoreId: store.id, fileId: file.id });

    const step = stepRunner();
    const outcome = await ingest(queued.at(-1)!, step);
    expect(outcome.status).toBe("completed");
    const chunks = (outcome as { chunks: number }).chunks;
    expect(chunks).toBeGreaterThan(EMBED_BATCH);
    expect(step.ran).toEqual(["parse", "chunk", ...Array.from({ length: Math.ceil(chunks / EMBED_BATCH) }, (_, i) => `embed-${i * EMBED_BATCH}`), "finalize"]);
    const row = await kb.getStoreFile(orgA, store.id, file.id);
    expect(row).toMatchObject({ status: "completed", last_error: null });
    expect(row!.switchyard).toMatchObject({ status: "completed", stage: null, progress: { done: chunks, total: chunks }, chunks });
    expect(await chunkCount(store.id)).toBe(chunks);
    expect((await kb.getStore(orgA, store.id))!.file_counts).toMatchObject({ completed: 1, total: 1 });
  });

  it("repeats a step that died before it was recorded without duplicating chunks", async () => {
    const store = await kb.createStore(orgA, { name: "B", chunkSize: 200, chunkOverlap: 0, embeddingModel: null, metadata: {}, fileIds: [] });
    const file = await upload(orgA, "long.txt", paragraphs(200));
    await kb.addFile(orgA, store.id, { fileId: file.id, attributes: {} });
    const step = stepRunner(`embed-${EMBED_BATCH}`);
    const event = queued.at(-1)!;
    await expect(runIngestion({ db: handle.db, providers: noProviders, logger }, { ...event, runKey: "crash", finalAttempt: false }, step)).rejects.toThrow(/process died/);
    const midway = await kb.getStoreFile(orgA, store.id, file.id);
    expect(midway!.status).toBe("in_progress");
    expect(midway!.switchyard.stage).toBe("embedding");
    const outcome = await ingest(event, step, "crash");
    expect(outcome.status).toBe("completed");
    expect(step.ran.filter((id) => id === `embed-${EMBED_BATCH}`)).toHaveLength(2);
    expect(await chunkCount(store.id)).toBe((outcome as { chunks: number }).chunks);
    // A whole second run (the file added again) replaces the chunks instead of adding to them.
    await kb.addFile(orgA, store.id, { fileId: file.id, attributes: {} });
    await ingest(queued.at(-1)!, stepRunner(), "again");
    expect(await chunkCount(store.id)).toBe((outcome as { chunks: number }).chunks);
  });

  it("fails a bad file with the parser's reason and keeps going for the others", async () => {
    const store = await kb.createStore(orgA, { name: "C", chunkSize: null, chunkOverlap: null, embeddingModel: null, metadata: {}, fileIds: [] });
    const bad = await upload(orgA, "scan.pdf", "not a pdf at all");
    const good = await upload(orgA, "good.md", "# Title\n\nSome useful text about invoices.");
    await kb.addFile(orgA, store.id, { fileId: bad.id, attributes: {} });
    expect((await ingest(queued.at(-1)!)).status).toBe("failed");
    await kb.addFile(orgA, store.id, { fileId: good.id, attributes: {} });
    expect((await ingest(queued.at(-1)!)).status).toBe("completed");
    const failed = await kb.getStoreFile(orgA, store.id, bad.id);
    expect(failed).toMatchObject({ status: "failed", last_error: { code: "invalid_file" } });
    expect(failed!.switchyard.error_code).toBe("corrupt");
    expect((await kb.getStore(orgA, store.id))!.file_counts).toMatchObject({ completed: 1, failed: 1, total: 2 });
  });

  it("stops quietly when the file was removed from the store meanwhile", async () => {
    const store = await kb.createStore(orgA, { name: "D", chunkSize: null, chunkOverlap: null, embeddingModel: null, metadata: {}, fileIds: [] });
    const file = await upload(orgA, "a.txt", "text about removal");
    await kb.addFile(orgA, store.id, { fileId: file.id, attributes: {} });
    await kb.deleteStoreFile(orgA, store.id, file.id);
    expect((await ingest(queued.at(-1)!)).status).toBe("gone");
    expect(await chunkCount(store.id)).toBe(0);
  });

  it("refuses an embedding model no provider of the org offers", async () => {
    await expect(
      kb.createStore(orgA, { name: "E", chunkSize: null, chunkOverlap: null, embeddingModel: "nowhere/embed-1", metadata: {}, fileIds: [] }),
    ).rejects.toMatchObject({ status: 400, param: "embedding_model" } satisfies Partial<GatewayError>);
  });
});

describe("hybrid search", () => {
  let storeId: string;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    const store = await kb.createStore(orgA, { name: "Search", chunkSize: 300, chunkOverlap: 0, embeddingModel: null, metadata: {}, fileIds: [] });
    storeId = store.id;
    const docs: Array<{ name: string; text: string; attributes: Attributes }> = [
      { name: "billing.md", text: "Invoices are sent on the first day of each month. Refunds take five business days.", attributes: { team: "finance", year: 2024, public: true } },
      { name: "security.md", text: "Rotate API keys every ninety days. Revoked keys stop working within four seconds.", attributes: { team: "security", year: 2025, public: false } },
      { name: "onboarding.md", text: "New engineers get a laptop on their first day and pair with a buddy for two weeks.", attributes: { team: "people", year: 2023 } },
    ];
    for (const doc of docs) {
      const file = await upload(orgA, doc.name, doc.text);
      files[doc.name] = file.id;
      await kb.addFile(orgA, storeId, { fileId: file.id, attributes: doc.attributes });
      expect((await ingest(queued.at(-1)!)).status).toBe("completed");
    }
  });

  const search = (query: string, extra: Partial<Parameters<KnowledgeBase["search"]>[2]> = {}) =>
    kb.search(orgA, storeId, { query, maxResults: 10, filters: null, scoreThreshold: null, ...extra });

  it("ranks the passage that matches both ways first, with a score of 1", async () => {
    const results = (await search("Rotate API keys every ninety days. Revoked keys stop working within four seconds."))!;
    expect(results[0]!.file_id).toBe(files["security.md"]);
    expect(results[0]!.score).toBe(1);
    expect(results[0]!.switchyard.vector_score).toBeGreaterThan(0.99);
    expect(results[0]!.switchyard.text_rank).toBeGreaterThan(0);
  });

  it("finds by words alone when no vector is close enough (threshold)", async () => {
    const results = (await search("refunds"))!;
    expect(results.map((r) => r.file_id)).toEqual([files["billing.md"]]);
    expect(results[0]!.switchyard.vector_score).toBeNull();
    expect(results[0]!.score).toBe(0.5);
    // A threshold of 0 lets every vector through: all three files come back.
    expect((await search("refunds", { scoreThreshold: 0 }))!.length).toBe(3);
  });

  it("filters on attributes: eq, ne, gt, in, nin, and/or", async () => {
    const ids = async (filters: Parameters<KnowledgeBase["search"]>[2]["filters"]) =>
      ((await search("first day keys invoices laptop", { filters, scoreThreshold: 0 }))!).map((r) => r.filename).sort();
    expect(await ids({ type: "eq", key: "team", value: "finance" })).toEqual(["billing.md"]);
    expect(await ids({ type: "ne", key: "team", value: "finance" })).toEqual(["onboarding.md", "security.md"]);
    expect(await ids({ type: "gt", key: "year", value: 2023 })).toEqual(["billing.md", "security.md"]);
    expect(await ids({ type: "lte", key: "year", value: 2023 })).toEqual(["onboarding.md"]);
    expect(await ids({ type: "in", key: "team", value: ["people", "security"] })).toEqual(["onboarding.md", "security.md"]);
    expect(await ids({ type: "nin", key: "team", value: ["people", "security"] })).toEqual(["billing.md"]);
    expect(await ids({ type: "eq", key: "public", value: false })).toEqual(["security.md"]);
    // A string compared with a number never matches; a missing attribute is "not equal".
    expect(await ids({ type: "gt", key: "team", value: 1 })).toEqual([]);
    expect(await ids({ type: "ne", key: "public", value: true })).toEqual(["onboarding.md", "security.md"]);
    expect(
      await ids({
        type: "or",
        filters: [
          { type: "eq", key: "team", value: "people" },
          { type: "and", filters: [{ type: "eq", key: "public", value: true }, { type: "gte", key: "year", value: 2024 }] },
        ],
      }),
    ).toEqual(["billing.md", "onboarding.md"]);
  });

  it("limits results to max_num_results", async () => {
    expect((await search("first day keys invoices laptop", { scoreThreshold: 0, maxResults: 2 }))!).toHaveLength(2);
  });

  it("treats another org's store as missing, and searches only the org's own rows", async () => {
    expect(await kb.search(orgB, storeId, { query: "refunds", maxResults: 5, filters: null, scoreThreshold: 0 })).toBeNull();
    expect(await kb.getStore(orgB, storeId)).toBeNull();
    expect(await kb.getFile(orgB, files["billing.md"]!)).toBeNull();
    expect(await kb.deleteStore(orgB, storeId)).toBe(false);
    expect(await kb.deleteFile(orgB, files["billing.md"]!)).toBe(false);
    await expect(kb.addFile(orgA, storeId, { fileId: (await upload(orgB, "b.txt", "bob's")).id, attributes: {} })).rejects.toMatchObject({ status: 404 });
    expect((await kb.listStores(orgB, { limit: 20, order: "desc", after: null, before: null })).data).toEqual([]);
    // Org B's own store with the same words: org A's search does not see it.
    const own = await kb.createStore(orgB, { name: "B", chunkSize: null, chunkOverlap: null, embeddingModel: null, metadata: {}, fileIds: [] });
    const file = await upload(orgB, "refunds.txt", "Refunds refunds refunds.");
    await kb.addFile(orgB, own.id, { fileId: file.id, attributes: {} });
    await ingest(queued.at(-1)!);
    expect((await search("refunds"))!.every((r) => r.file_id !== file.id)).toBe(true);
  });
});

describe("fusion and query helpers", () => {
  const row = (file_id: string, position: number, score: number) => ({ file_id, position, text: "t", metadata: {}, score });

  it("fuses by reciprocal rank, a passage in both rankings beating one first in only one", () => {
    const fused = fuseRankings([row("a", 0, 0.9), row("b", 0, 0.8)], [row("b", 0, 3), row("c", 0, 2)], 10);
    expect(fused.map((r) => r.file_id)).toEqual(["b", "a", "c"]);
    expect(fused[0]!.switchyard).toMatchObject({ vector_score: 0.8, text_rank: 3 });
  });

  it("builds an OR query of the words, without tsquery syntax", () => {
    expect(fullTextQuery("How do I reset my password? (urgent) & !")).toBe("how | do | i | reset | my | password | urgent");
    expect(fullTextQuery("!!! ???")).toBeNull();
  });
});
