/**
 * Knowledge-base benchmark on the embedded database (PGlite + pgvector, in memory):
 *
 * 1. Ingestion: one long Markdown document through the real ingestion steps (parse → chunk →
 *    embed with the local embedder in batches → store with the HNSW and GIN indexes in place);
 *    reports chunks per second, wall time and CPU time.
 * 2. Hybrid search at scale: the store is filled to `--chunks` chunks (default 100,000) by bulk
 *    inserts of locally embedded synthetic passages, indexes built after the load (as a restore
 *    would), then `--queries` searches (vector + full text + RRF, top 10) report p50 / p95.
 *
 * A time budget (`--budget-s`, default 270) bounds the run: loading stops early when half of it
 * is spent, and the figures say how many chunks were reached.
 *
 *   npx tsx scripts/bench-knowledge.ts [--chunks 100000] [--queries 60] [--budget-s 270] [--doc-chars 2000000]
 */
import { sql } from "drizzle-orm";
import { embedLocal } from "../src/lib/embeddings/local-embedder";
import type { JobStep } from "../src/jobs/define-job";
import { openDatabase } from "../src/server/db/client";
import { organizations } from "../src/server/db/schema";
import { runIngestion } from "../src/server/knowledge/ingest/run-ingestion";
import { createKnowledgeBase } from "../src/server/knowledge/knowledge-base";
import { upsertChunks, type ChunkRow } from "../src/server/knowledge/search/chunk-records";

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

const TARGET_CHUNKS = arg("chunks", 100_000);
const QUERIES = arg("queries", 60);
const BUDGET_MS = arg("budget-s", 270) * 1000;
const DOC_CHARS = arg("doc-chars", 2_000_000);
const started = performance.now();
const elapsed = () => performance.now() - started;

const WORDS = (
  "account billing invoice refund password reset security token rotate key deploy release rollback " +
  "vacation holiday office badge laptop onboarding buddy manager expense receipt travel meal budget " +
  "limit quota latency cache route fallback provider model embedding search passage document upload " +
  "policy guardrail audit member role owner admin developer viewer report dashboard export import"
).split(" ");

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function passage(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    out.push(WORDS[Math.floor(random() * WORDS.length)]!);
    if (i % 12 === 11) out[out.length - 1] += ".";
  }
  return out.join(" ");
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? (r as T[]) : (r as { rows: T[] }).rows);

async function main() {
  const handle = await openDatabase({ kind: "pglite", dataDir: "memory://" });
  if (!handle.vectorAvailable) throw new Error(`pgvector unavailable: ${handle.vectorUnavailableReason}`);
  const { db } = handle;
  const orgId = "org_bench";
  await db.insert(organizations).values({ id: orgId, slug: "bench", name: "Bench" });
  const kb = createKnowledgeBase({ handle, providers: { listForOrg: () => [] }, maxFileBytes: 64 * 1024 * 1024, enqueue: async () => {} });
  const store = await kb.createStore(orgId, { name: "bench", chunkSize: 1000, chunkOverlap: 200, embeddingModel: null, metadata: {}, fileIds: [] });

  // 1. Ingestion through the job's steps.
  const random = rng(7);
  const sections: string[] = [];
  for (let i = 0, length = 0; length < DOC_CHARS; i++) {
    const section = `## Section ${i}\n\n${passage(random, 120)}\n\n${passage(random, 90)}`;
    sections.push(section);
    length += section.length + 2;
  }
  const text = `# Bench handbook\n\n${sections.join("\n\n")}`;
  const file = await kb.uploadFile(orgId, { filename: "bench.md", purpose: "assistants", contentType: "text/markdown", bytes: new TextEncoder().encode(text) });
  await kb.addFile(orgId, store.id, { fileId: file.id, attributes: {} });
  const done = new Map<string, unknown>();
  const step: JobStep = {
    async run<T>(id: string, fn: () => Promise<T> | T): Promise<T> {
      if (!done.has(id)) done.set(id, JSON.parse(JSON.stringify((await fn()) ?? null)));
      return done.get(id) as T;
    },
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = await runIngestion(
    { db, providers: { listForOrg: () => [] }, logger: { info() {}, warn() {}, error() {} } },
    { orgId, vectorStoreId: store.id, fileId: file.id, runKey: "bench", finalAttempt: true },
    step,
  );
  const ingestMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (outcome.status !== "completed") throw new Error(`ingestion ${outcome.status}`);
  const ingested = outcome.chunks;
  console.log(
    `ingestion: ${(text.length / 1e6).toFixed(2)} M chars → ${ingested} chunks in ${(ingestMs / 1000).toFixed(1)} s = ${(ingested / (ingestMs / 1000)).toFixed(0)} chunks/s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s)`,
  );

  // 2. Fill the store to the target size, indexes rebuilt after the load.
  await db.execute(sql`drop index knowledge_chunks_hnsw_idx`);
  await db.execute(sql`drop index knowledge_chunks_tsv_idx`);
  const loadStart = performance.now();
  let total = ingested;
  const fill = rng(11);
  const BATCH = 1000;
  for (let position = 0; total < TARGET_CHUNKS; position += BATCH) {
    if (elapsed() > BUDGET_MS / 2) break;
    const rows: ChunkRow[] = [];
    for (let i = 0; i < BATCH && total + rows.length < TARGET_CHUNKS; i++) {
      const body = passage(fill, 140);
      rows.push({ orgId, vectorStoreId: store.id, fileId: "file-bulk", position: position + i, text: body, metadata: { filename: "bulk.md" }, embedding: embedLocal(body) });
    }
    await upsertChunks(db, rows);
    total += rows.length;
  }
  const loadMs = performance.now() - loadStart;
  console.log(`load: ${total} chunks in the store (${((total - ingested) / (loadMs / 1000)).toFixed(0)} rows/s bulk insert)`);
  const indexStart = performance.now();
  await db.execute(sql`set maintenance_work_mem = '256MB'`);
  await db.execute(sql`create index knowledge_chunks_tsv_idx on knowledge_chunks using gin (tsv)`);
  const ginMs = performance.now() - indexStart;
  await db.execute(sql`create index knowledge_chunks_hnsw_idx on knowledge_chunks using hnsw (embedding vector_cosine_ops)`);
  const hnswMs = performance.now() - indexStart - ginMs;
  console.log(`indexes: GIN ${(ginMs / 1000).toFixed(1)} s, HNSW ${(hnswMs / 1000).toFixed(1)} s`);
  const count = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from knowledge_chunks`))[0]!.n;

  // 3. Search latency.
  const queries = rng(23);
  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < QUERIES + 5; i++) {
    const query = passage(queries, 4 + Math.floor(queries() * 6)).replace(/\./g, "");
    const q0 = performance.now();
    const results = await kb.search(orgId, store.id, { query, maxResults: 10, filters: null, scoreThreshold: null });
    const ms = performance.now() - q0;
    if (i >= 5) times.push(ms); // the first few warm caches and plans
    found += results?.length ?? 0;
  }
  times.sort((a, b) => a - b);
  console.log(
    `search: ${count} chunks, ${QUERIES} queries, top 10: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms (${(found / (QUERIES + 5)).toFixed(1)} results per query)`,
  );
  console.log(`total ${(elapsed() / 1000).toFixed(0)} s`);
  await handle.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
