import { Buffer } from "node:buffer";
import type { JobLogger, JobStep } from "~/jobs/define-job";
import type { ProviderDirectory } from "~/gateway/ports";
import type { Db } from "~/server/db/client";
import type { Chunk, ParsedDocument } from "../types";
import { chunkText } from "../chunk";
import { EmbeddingModelError, embedderFor } from "../embed/knowledge-embedder";
import { isDocumentError, parseDocument } from "../parse";
import { deleteChunksFrom, upsertChunks } from "../search/chunk-records";
import { readFileContent } from "../store/file-records";
import { findVectorStore } from "../store/vector-store-records";
import { findStoreFile, writeProgress } from "../store/vector-store-file-records";

/** Chunks embedded (and stored) per step. */
export const EMBED_BATCH = 64;
/** Tries per batch before the step fails (then the job's own retries take over). */
const EMBED_TRIES = 3;
const RETRY_DELAYS_MS = [250, 1000];

export interface IngestionDeps {
  db: Db;
  providers: ProviderDirectory;
  logger: JobLogger;
  /** Largest file parsed (default: the parser's own). */
  maxBytes?: number;
}

export interface IngestionTarget {
  orgId: string;
  vectorStoreId: string;
  fileId: string;
  /** Stable across retries of one run (the event id): parsed text is reused within a process. */
  runKey: string;
  /** The job will not be retried after this attempt: a failure is final. */
  finalAttempt: boolean;
}

type Outcome = { status: "completed"; chunks: number } | { status: "failed" | "gone"; reason: string };

/**
 * Parsed documents and their chunks of recent runs, so the steps of one run (each reloading
 * nothing but ids) parse a file once per process; a resumed run elsewhere parses it again,
 * which gives the same chunks because parsing and chunking are deterministic.
 */
const prepared = new Map<string, { doc: ParsedDocument; chunks: Chunk[] }>();
const PREPARED_KEPT = 4;

class FileFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function prepare(deps: IngestionDeps, target: IngestionTarget): Promise<{ doc: ParsedDocument; chunks: Chunk[] }> {
  const key = `${target.runKey}:${target.vectorStoreId}:${target.fileId}`;
  const cached = prepared.get(key);
  if (cached) return cached;
  const [file, store] = await Promise.all([
    readFileContent(deps.db, target.orgId, target.fileId),
    findVectorStore(deps.db, target.orgId, target.vectorStoreId),
  ]);
  if (!file || !store) throw new FileFailure("gone", "The file or its vector store was deleted.");
  let doc: ParsedDocument;
  try {
    doc = await parseDocument(
      { bytes: new Uint8Array(file.data), filename: file.filename, mimeType: file.contentType ?? undefined },
      deps.maxBytes === undefined ? undefined : { maxBytes: deps.maxBytes },
    );
  } catch (err) {
    if (isDocumentError(err)) throw new FileFailure(err.code, err.message);
    throw err;
  }
  const chunks = chunkText(doc, { size: store.chunkSize, overlap: store.chunkOverlap });
  prepared.set(key, { doc, chunks });
  while (prepared.size > PREPARED_KEPT) prepared.delete(prepared.keys().next().value!);
  return { doc, chunks };
}

async function embedWithRetries(embed: (texts: string[]) => Promise<number[][]>, texts: string[]): Promise<number[][]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await embed(texts);
    } catch (err) {
      if (err instanceof EmbeddingModelError || attempt >= EMBED_TRIES) throw err;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt - 1] ?? 1000));
    }
  }
}

export async function runIngestion(deps: IngestionDeps, target: IngestionTarget, step: JobStep): Promise<Outcome> {
  const where = { orgId: target.orgId, vectorStoreId: target.vectorStoreId, fileId: target.fileId };
  const progress = (update: Parameters<typeof writeProgress>[2]) => writeProgress(deps.db, where, update);
  const key = `${target.runKey}:${target.vectorStoreId}:${target.fileId}`;

  try {
    const parsed = await step.run("parse", async () => {
      if (!(await progress({ status: "in_progress", stage: "parsing", lastErrorCode: null, lastErrorMessage: null }))) {
        throw new FileFailure("gone", "The file was removed from the vector store.");
      }
      const { doc } = await prepare(deps, target);
      return { chars: doc.text.length, bytes: Buffer.byteLength(doc.text, "utf8"), warnings: doc.warnings };
    });

    const chunked = await step.run("chunk", async () => {
      await progress({ stage: "chunking", warnings: parsed.warnings });
      const { chunks } = await prepare(deps, target);
      if (chunks.length === 0) throw new FileFailure("no_text", "The file has no text to index.");
      await progress({ stage: "embedding", progressDone: 0, progressTotal: chunks.length });
      return { count: chunks.length };
    });

    for (let from = 0; from < chunked.count; from += EMBED_BATCH) {
      await step.run(`embed-${from}`, async () => {
        const [{ chunks }, store, file] = await Promise.all([
          prepare(deps, target),
          findVectorStore(deps.db, target.orgId, target.vectorStoreId),
          findStoreFile(deps.db, target.orgId, target.vectorStoreId, target.fileId),
        ]);
        if (!store || !file) throw new FileFailure("gone", "The file was removed from the vector store.");
        const batch = chunks.slice(from, from + EMBED_BATCH);
        const embedder = await embedderFor(deps.providers, target.orgId, store.embeddingModel);
        const vectors = await embedWithRetries(embedder.embed, batch.map((c) => c.text));
        const { filename } = (await readFileContent(deps.db, target.orgId, target.fileId)) ?? { filename: "" };
        await upsertChunks(
          deps.db,
          batch.map((chunk, i) => ({
            ...where,
            position: chunk.index,
            text: chunk.text,
            metadata: {
              filename,
              start: chunk.start,
              end: chunk.end,
              ...(chunk.heading === undefined ? {} : { heading: chunk.heading }),
              ...(chunk.page === undefined ? {} : { page: chunk.page }),
              attributes: file.attributes,
            },
            embedding: vectors[i]!,
          })),
        );
        await progress({ progressDone: Math.min(from + batch.length, chunked.count) });
        return batch.length;
      });
    }

    await step.run("finalize", async () => {
      await progress({ stage: "storing" });
      await deleteChunksFrom(deps.db, where, chunked.count);
      await progress({ status: "completed", stage: null, chunkCount: chunked.count, usageBytes: parsed.bytes });
      return chunked.count;
    });
    prepared.delete(key);
    return { status: "completed", chunks: chunked.count };
  } catch (err) {
    if (err instanceof FileFailure && err.code === "gone") {
      prepared.delete(key);
      return { status: "gone", reason: err.message };
    }
    const known = err instanceof FileFailure || err instanceof EmbeddingModelError;
    const code = err instanceof FileFailure ? err.code : "server_error";
    const message = known
      ? (err as Error).message
      : `Ingestion failed: ${err instanceof Error ? err.message : String(err)}`;
    if (!known && !target.finalAttempt) {
      // A fault that may pass (database, network): leave the row in progress for the retry.
      await progress({ lastErrorCode: code, lastErrorMessage: message }).catch(() => false);
      throw err;
    }
    deps.logger.warn("knowledge: file ingestion failed", { ...where, code, error: message });
    prepared.delete(key);
    await progress({ status: "failed", stage: null, lastErrorCode: code, lastErrorMessage: message });
    return { status: "failed", reason: message };
  }
}
