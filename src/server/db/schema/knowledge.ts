import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

/** Raw bytes (`bytea`): uploads live in the database so a serverless deploy needs no file storage. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** An uploaded file (`POST /v1/files`), kept whole until it is deleted. */
export const knowledgeFiles = pgTable(
  "knowledge_files",
  {
    /** `file-…`, as OpenAI's file ids look. */
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    filename: text("filename").notNull(),
    /** OpenAI's `purpose`; Switchyard accepts `assistants` (files for vector stores). */
    purpose: text("purpose").notNull(),
    /** Size in bytes. */
    bytes: integer("bytes").notNull(),
    contentType: text("content_type"),
    data: bytea("data").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("knowledge_files_org_idx").on(t.orgId, t.createdAt)],
);

/** A knowledge base (OpenAI's vector store): how its files are chunked and embedded. */
export const vectorStores = pgTable(
  "vector_stores",
  {
    /** `vs_…` */
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    chunkSize: integer("chunk_size").notNull().default(1000),
    chunkOverlap: integer("chunk_overlap").notNull().default(200),
    /** `provider/model` of one of the org's providers; null = the built-in local embedder. */
    embeddingModel: text("embedding_model"),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    /** Files by status and total bytes, kept current by the ingestion job and the API. */
    fileCounts: jsonb("file_counts")
      .$type<VectorStoreFileCounts>()
      .notNull()
      .default({ in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 }),
    usageBytes: integer("usage_bytes").notNull().default(0),
    /** `in_progress` while any file is being ingested, else `completed`. */
    status: text("status").$type<"in_progress" | "completed">().notNull().default("completed"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastActiveAt: timestamp("last_active_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("vector_stores_org_idx").on(t.orgId, t.createdAt)],
);

export interface VectorStoreFileCounts {
  in_progress: number;
  completed: number;
  failed: number;
  cancelled: number;
  total: number;
}

export type VectorStoreFileStatus = "queued" | "in_progress" | "completed" | "failed" | "cancelled";
export type IngestStage = "parsing" | "chunking" | "embedding" | "storing";

/** A file in a vector store, with its ingestion progress. */
export const vectorStoreFiles = pgTable(
  "vector_store_files",
  {
    vectorStoreId: text("vector_store_id")
      .notNull()
      .references(() => vectorStores.id, { onDelete: "cascade" }),
    fileId: text("file_id")
      .notNull()
      .references(() => knowledgeFiles.id, { onDelete: "cascade" }),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    status: text("status").$type<VectorStoreFileStatus>().notNull().default("queued"),
    /** What the job is doing now (null when queued or done). */
    stage: text("stage").$type<IngestStage>(),
    /** Chunks embedded so far / chunks in the file (during `embedding`). */
    progressDone: integer("progress_done").notNull().default(0),
    progressTotal: integer("progress_total").notNull().default(0),
    chunkCount: integer("chunk_count").notNull().default(0),
    /** Bytes of text indexed (OpenAI's `usage_bytes`). */
    usageBytes: integer("usage_bytes").notNull().default(0),
    /** OpenAI's codes: `invalid_file`, `unsupported_file`, `server_error`; plus the parser's own. */
    lastErrorCode: text("last_error_code"),
    lastErrorMessage: text("last_error_message"),
    warnings: jsonb("warnings").$type<string[]>().notNull().default([]),
    attributes: jsonb("attributes")
      .$type<Record<string, string | number | boolean>>()
      .notNull()
      .default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.vectorStoreId, t.fileId] }),
    index("vector_store_files_org_idx").on(t.orgId, t.vectorStoreId, t.createdAt),
    index("vector_store_files_file_idx").on(t.fileId),
  ],
);
