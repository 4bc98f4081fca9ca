import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "~/server/db/client";
import { knowledgeChunks } from "~/server/db/schema-vector/knowledge-chunks";

/** Rows of `knowledge_chunks` (vector migration set: only where pgvector is installed). */

const k = knowledgeChunks;

export interface ChunkRow {
  orgId: string;
  vectorStoreId: string;
  fileId: string;
  position: number;
  text: string;
  metadata: Record<string, unknown>;
  embedding: number[];
}

/** Rows per INSERT: a 384-float vector is ~4 KB of SQL text, so this keeps statements near 1 MB. */
const INSERT_BATCH = 200;

/** Inserts or replaces chunks by (store, file, position): storing a batch twice is harmless. */
export async function upsertChunks(db: Db, rows: readonly ChunkRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const batch = rows.slice(i, i + INSERT_BATCH);
    await db
      .insert(k)
      .values(batch.map((row) => ({ ...row })))
      .onConflictDoUpdate({
        target: [k.vectorStoreId, k.fileId, k.position],
        set: { text: sql`excluded.text`, metadata: sql`excluded.metadata`, embedding: sql`excluded.embedding` },
      });
  }
}

/** Removes a file's chunks from `fromPosition` on (left over from a longer earlier version). */
export async function deleteChunksFrom(
  db: Db,
  where: { orgId: string; vectorStoreId: string; fileId: string },
  fromPosition: number,
): Promise<void> {
  await db
    .delete(k)
    .where(
      and(
        eq(k.orgId, where.orgId),
        eq(k.vectorStoreId, where.vectorStoreId),
        eq(k.fileId, where.fileId),
        gte(k.position, fromPosition),
      ),
    );
}

/** Removes the chunks of a file (in every store), of a store, or of a file in one store. */
export async function deleteChunks(
  db: Db,
  where: { orgId: string; vectorStoreId?: string; fileId?: string },
): Promise<void> {
  await db
    .delete(k)
    .where(
      and(
        eq(k.orgId, where.orgId),
        where.vectorStoreId === undefined ? undefined : eq(k.vectorStoreId, where.vectorStoreId),
        where.fileId === undefined ? undefined : eq(k.fileId, where.fileId),
      ),
    );
}

export interface ChunkPreview {
  position: number;
  text: string;
  heading: string | null;
  page: number | null;
}

/** The first `limit` chunks of a file in a store, in order (for the console's preview). */
export async function listChunks(
  db: Db,
  where: { orgId: string; vectorStoreId: string; fileId: string },
  limit: number,
): Promise<ChunkPreview[]> {
  const rows = await db
    .select({ position: k.position, text: k.text, metadata: k.metadata })
    .from(k)
    .where(and(eq(k.orgId, where.orgId), eq(k.vectorStoreId, where.vectorStoreId), eq(k.fileId, where.fileId)))
    .orderBy(k.position)
    .limit(limit);
  return rows.map((row) => ({
    position: row.position,
    text: row.text,
    heading: typeof row.metadata.heading === "string" ? row.metadata.heading : null,
    page: typeof row.metadata.page === "number" ? row.metadata.page : null,
  }));
}
