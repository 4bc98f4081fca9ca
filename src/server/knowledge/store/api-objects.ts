import type {
  FileObject,
  VectorStoreFileObject,
  VectorStoreObject,
} from "~/gateway/knowledge/types";
import type { knowledgeFiles, vectorStoreFiles, vectorStores } from "~/server/db/schema";

/** Database rows → OpenAI's wire objects (plus Switchyard's `switchyard` extension fields). */

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
/** OpenAI's chunking settings are in tokens; Switchyard chunks by characters (about 4 per token). */
const tokens = (chars: number) => Math.round(chars / 4);

export type FileRow = Omit<typeof knowledgeFiles.$inferSelect, "data">;
export type StoreRow = typeof vectorStores.$inferSelect;
export type StoreFileRow = typeof vectorStoreFiles.$inferSelect;

export function fileObject(row: FileRow): FileObject {
  return {
    id: row.id,
    object: "file",
    bytes: row.bytes,
    created_at: seconds(row.createdAt),
    filename: row.filename,
    purpose: row.purpose,
    status: "processed",
  };
}

export function storeObject(row: StoreRow): VectorStoreObject {
  return {
    id: row.id,
    object: "vector_store",
    name: row.name,
    created_at: seconds(row.createdAt),
    last_active_at: seconds(row.lastActiveAt),
    metadata: row.metadata,
    status: row.status,
    usage_bytes: row.usageBytes,
    file_counts: row.fileCounts,
    switchyard: {
      chunk_size: row.chunkSize,
      chunk_overlap: row.chunkOverlap,
      embedding_model: row.embeddingModel,
    },
  };
}

/** The parser's error codes → OpenAI's three `last_error` codes. */
function openAiErrorCode(code: string): "server_error" | "unsupported_file" | "invalid_file" {
  if (code === "unsupported_type") return "unsupported_file";
  if (code === "server_error") return "server_error";
  return "invalid_file";
}

export function storeFileObject(row: StoreFileRow, store: Pick<StoreRow, "chunkSize" | "chunkOverlap">): VectorStoreFileObject {
  const failed = row.status === "failed" && row.lastErrorMessage !== null;
  return {
    id: row.fileId,
    object: "vector_store.file",
    vector_store_id: row.vectorStoreId,
    created_at: seconds(row.createdAt),
    status: row.status === "queued" ? "in_progress" : row.status,
    usage_bytes: row.usageBytes,
    last_error: failed
      ? { code: openAiErrorCode(row.lastErrorCode ?? "server_error"), message: row.lastErrorMessage! }
      : null,
    attributes: row.attributes,
    chunking_strategy: {
      type: "static",
      static: {
        max_chunk_size_tokens: tokens(store.chunkSize),
        chunk_overlap_tokens: tokens(store.chunkOverlap),
      },
    },
    switchyard: {
      status: row.status,
      stage: row.stage,
      progress: { done: row.progressDone, total: row.progressTotal },
      chunks: row.chunkCount,
      error_code: row.lastErrorCode,
      warnings: row.warnings,
    },
  };
}
