/**
 * Knowledge bases as the gateway core sees them: OpenAI's Files and Vector Stores objects, and
 * the `KnowledgeBase` port that stores, ingests and searches them (implemented in
 * `src/server/knowledge`). Every call takes the org explicitly; an id of another org is "not found".
 */

export type AttributeValue = string | number | boolean;
export type Attributes = Record<string, AttributeValue>;

export interface FileObject {
  id: string;
  object: "file";
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: "uploaded" | "processed" | "error";
}

export interface VectorStoreObject {
  id: string;
  object: "vector_store";
  name: string;
  created_at: number;
  last_active_at: number | null;
  metadata: Record<string, string> | null;
  status: "expired" | "in_progress" | "completed";
  usage_bytes: number;
  file_counts: { in_progress: number; completed: number; failed: number; cancelled: number; total: number };
  /** Switchyard's own settings: characters per chunk, embedding model (null = local embedder). */
  switchyard: { chunk_size: number; chunk_overlap: number; embedding_model: string | null };
}

export type IngestStage = "parsing" | "chunking" | "embedding" | "storing";

export interface VectorStoreFileObject {
  id: string;
  object: "vector_store.file";
  vector_store_id: string;
  created_at: number;
  status: "in_progress" | "completed" | "failed" | "cancelled";
  usage_bytes: number;
  last_error: { code: "server_error" | "unsupported_file" | "invalid_file"; message: string } | null;
  attributes: Attributes | null;
  chunking_strategy: {
    type: "static";
    static: { max_chunk_size_tokens: number; chunk_overlap_tokens: number };
  };
  /** Live progress: `queued` → parsing → chunking → embedding n/N → completed (or failed). */
  switchyard: {
    status: "queued" | "in_progress" | "completed" | "failed" | "cancelled";
    stage: IngestStage | null;
    progress: { done: number; total: number };
    chunks: number;
    /** The parser's own error code when the file failed (`empty`, `corrupt`, `too_large`, …). */
    error_code: string | null;
    warnings: string[];
  };
}

export interface ComparisonFilter {
  type: "eq" | "ne" | "gt" | "gte" | "lt" | "lte" | "in" | "nin";
  key: string;
  value: AttributeValue | Array<string | number>;
}
export interface CompoundFilter {
  type: "and" | "or";
  filters: AttributeFilter[];
}
export type AttributeFilter = ComparisonFilter | CompoundFilter;

export interface SearchInput {
  query: string;
  /** 1–50, default 10. */
  maxResults: number;
  filters: AttributeFilter | null;
  /** Least cosine similarity of a vector match (default 0.7). */
  scoreThreshold: number | null;
}

/** One passage found by a search (OpenAI's `vector_store.search_results` entry). */
export interface SearchResult {
  file_id: string;
  filename: string;
  /** Fused rank score, 1 for a passage first in both the vector and the full-text ranking. */
  score: number;
  attributes: Attributes | null;
  content: Array<{ type: "text"; text: string }>;
  /** Where the passage is: its chunk index in the file, and the engines that found it. */
  switchyard: { chunk: number; vector_score: number | null; text_rank: number | null };
}

export interface ListQuery {
  limit: number;
  order: "asc" | "desc";
  after: string | null;
  before: string | null;
}

export interface ListPage<T> {
  data: T[];
  has_more: boolean;
}

export interface UploadInput {
  filename: string;
  purpose: string;
  contentType: string | null;
  bytes: Uint8Array;
}

export interface CreateStoreInput {
  name: string;
  chunkSize: number | null;
  chunkOverlap: number | null;
  embeddingModel: string | null;
  metadata: Record<string, string>;
  fileIds: string[];
}

export interface AddFileInput {
  fileId: string;
  attributes: Attributes;
}

export interface KnowledgeBase {
  /** Largest accepted upload, in bytes. */
  readonly maxFileBytes: number;
  uploadFile(orgId: string, input: UploadInput): Promise<FileObject>;
  listFiles(orgId: string, query: ListQuery & { purpose: string | null }): Promise<ListPage<FileObject>>;
  getFile(orgId: string, fileId: string): Promise<FileObject | null>;
  /** false when there was no such file. */
  deleteFile(orgId: string, fileId: string): Promise<boolean>;

  createStore(orgId: string, input: CreateStoreInput): Promise<VectorStoreObject>;
  listStores(orgId: string, query: ListQuery): Promise<ListPage<VectorStoreObject>>;
  getStore(orgId: string, storeId: string): Promise<VectorStoreObject | null>;
  deleteStore(orgId: string, storeId: string): Promise<boolean>;

  /** null when the store does not exist; throws a 404 GatewayError for an unknown file. */
  addFile(orgId: string, storeId: string, input: AddFileInput): Promise<VectorStoreFileObject | null>;
  listStoreFiles(
    orgId: string,
    storeId: string,
    query: ListQuery & { filter: VectorStoreFileObject["status"] | null },
  ): Promise<ListPage<VectorStoreFileObject> | null>;
  getStoreFile(orgId: string, storeId: string, fileId: string): Promise<VectorStoreFileObject | null>;
  deleteStoreFile(orgId: string, storeId: string, fileId: string): Promise<boolean>;

  /** null when the store does not exist (or belongs to another org). */
  search(orgId: string, storeId: string, input: SearchInput): Promise<SearchResult[] | null>;
}
