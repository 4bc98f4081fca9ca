import { sql } from "drizzle-orm";
import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  vector,
} from "drizzle-orm/pg-core";

/** Postgres full-text vector (generated from `text`, never written directly). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** Dimensions of every knowledge embedding (the local embedder's; provider models are asked for 384). */
export const KNOWLEDGE_EMBEDDING_DIMENSIONS = 384;

/**
 * The searchable pieces of the files in vector stores: one row per chunk, with its embedding
 * (HNSW, cosine) and its full-text vector (GIN) for hybrid search. Rows of a file are replaced
 * as a whole when the file is ingested again.
 */
export const knowledgeChunks = pgTable(
  "knowledge_chunks",
  {
    orgId: text("org_id").notNull(),
    vectorStoreId: text("vector_store_id").notNull(),
    fileId: text("file_id").notNull(),
    /** The chunk's index within its file. */
    position: integer("position").notNull(),
    text: text("text").notNull(),
    /** Filename, heading, page, offsets and the file's attributes (filters match on these). */
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    embedding: vector("embedding", { dimensions: KNOWLEDGE_EMBEDDING_DIMENSIONS }).notNull(),
    // English stemming and stop words: "passwords" finds "password", "the" finds nothing.
    tsv: tsvector("tsv")
      .notNull()
      .generatedAlwaysAs(sql`to_tsvector('english', "text")`),
  },
  (t) => [
    primaryKey({ columns: [t.vectorStoreId, t.fileId, t.position] }),
    index("knowledge_chunks_org_store_idx").on(t.orgId, t.vectorStoreId),
    index("knowledge_chunks_hnsw_idx").using("hnsw", t.embedding.op("vector_cosine_ops")),
    index("knowledge_chunks_tsv_idx").using("gin", t.tsv),
  ],
);
