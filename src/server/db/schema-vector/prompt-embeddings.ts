import { index, pgTable, text, timestamp, vector } from "drizzle-orm/pg-core";

/**
 * Tables with pgvector columns live in their own migration set (drizzle/vector), applied only
 * when `CREATE EXTENSION vector` succeeds. Plain foreign keys to core tables are fine here.
 */
export const promptEmbeddings = pgTable(
  "prompt_embeddings",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    requestId: text("request_id").notNull(),
    model: text("model").notNull(),
    embedding: vector("embedding", { dimensions: 384 }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("prompt_embeddings_org_idx").on(t.orgId, t.createdAt),
    index("prompt_embeddings_hnsw_idx").using("hnsw", t.embedding.op("vector_cosine_ops")),
  ],
);
