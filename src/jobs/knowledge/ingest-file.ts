import { defineJob } from "../define-job";

/** Sent when a file is added to a vector store (`POST /v1/vector_stores/{id}/files`). */
export const KNOWLEDGE_FILE_ADDED = "knowledge/file.added";

export interface IngestFileEvent {
  orgId: string;
  vectorStoreId: string;
  fileId: string;
}

/**
 * Ingests one file of a vector store: parse → chunk → embed in batches (with retries) and store
 * each batch → finalize. Every step is idempotent (chunks are upserted by position, stale ones
 * removed at the end) and writes its progress to the file's `vector_store_files` row.
 */
export const ingestFileJob = defineJob<IngestFileEvent>({
  id: "knowledge/ingest-file",
  name: "Knowledge: ingest a file",
  trigger: { event: KNOWLEDGE_FILE_ADDED },
  retries: 2,
  handler: () => import("./ingest-file.handler").then((m) => m.default),
});
