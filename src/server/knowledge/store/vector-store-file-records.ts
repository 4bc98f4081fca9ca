import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Attributes, ListPage, ListQuery, VectorStoreFileObject } from "~/gateway/knowledge/types";
import type { Db } from "~/server/db/client";
import { knowledgeFiles, vectorStoreFiles, type IngestStage } from "~/server/db/schema";
import { storeFileObject, type StoreFileRow, type StoreRow } from "./api-objects";
import { pageCursor, pageOrder, toPage } from "./list-page";
import { refreshStoreCounts } from "./store-counts";

/** Files in a vector store and their ingestion state. */

const sf = vectorStoreFiles;

/**
 * Links a file of the org to a store, queued for ingestion. Adding a file that is already in
 * the store queues it again (its chunks are replaced when the new run stores them). null when
 * the file does not exist in the org.
 */
export async function linkFile(
  db: Db,
  store: StoreRow,
  fileId: string,
  attributes: Attributes,
): Promise<StoreFileRow | null> {
  const [file] = await db
    .select({ id: knowledgeFiles.id })
    .from(knowledgeFiles)
    .where(and(eq(knowledgeFiles.orgId, store.orgId), eq(knowledgeFiles.id, fileId)));
  if (!file) return null;
  const reset = {
    status: "queued" as const,
    stage: null,
    progressDone: 0,
    progressTotal: 0,
    lastErrorCode: null,
    lastErrorMessage: null,
    warnings: [],
    attributes,
    updatedAt: new Date(),
  };
  const [row] = await db
    .insert(sf)
    .values({ vectorStoreId: store.id, fileId, orgId: store.orgId, ...reset })
    .onConflictDoUpdate({ target: [sf.vectorStoreId, sf.fileId], set: reset })
    .returning();
  await refreshStoreCounts(db, store.orgId, store.id);
  return row!;
}

export async function findStoreFile(db: Db, orgId: string, storeId: string, fileId: string): Promise<StoreFileRow | null> {
  const [row] = await db
    .select()
    .from(sf)
    .where(and(eq(sf.orgId, orgId), eq(sf.vectorStoreId, storeId), eq(sf.fileId, fileId)));
  return row ?? null;
}

export async function listStoreFiles(
  db: Db,
  store: StoreRow,
  query: ListQuery & { filter: VectorStoreFileObject["status"] | null },
): Promise<ListPage<VectorStoreFileObject>> {
  const cursor = async (id: string | null) => {
    if (id === null) return null;
    const row = await findStoreFile(db, store.orgId, store.id, id);
    return row ? { id: row.fileId, createdAt: row.createdAt } : { id, createdAt: new Date(0) };
  };
  const status: SQL | undefined =
    query.filter === null
      ? undefined
      : query.filter === "in_progress"
        ? sql`${sf.status} in ('queued', 'in_progress')`
        : eq(sf.status, query.filter);
  const conditions: (SQL | undefined)[] = [
    eq(sf.orgId, store.orgId),
    eq(sf.vectorStoreId, store.id),
    status,
    pageCursor(query, sf.createdAt, sf.fileId, await cursor(query.after), "after"),
    pageCursor(query, sf.createdAt, sf.fileId, await cursor(query.before), "before"),
  ];
  const rows = await db
    .select()
    .from(sf)
    .where(and(...conditions))
    .orderBy(...pageOrder(query, sf.createdAt, sf.fileId))
    .limit(query.limit + 1);
  const page = toPage(rows, query.limit);
  return { data: page.data.map((row) => storeFileObject(row, store)), has_more: page.has_more };
}

export async function unlinkFile(db: Db, orgId: string, storeId: string, fileId: string): Promise<boolean> {
  const deleted = await db
    .delete(sf)
    .where(and(eq(sf.orgId, orgId), eq(sf.vectorStoreId, storeId), eq(sf.fileId, fileId)))
    .returning({ id: sf.fileId });
  if (deleted.length === 0) return false;
  await refreshStoreCounts(db, orgId, storeId);
  return true;
}

export interface ProgressUpdate {
  status?: StoreFileRow["status"];
  stage?: IngestStage | null;
  progressDone?: number;
  progressTotal?: number;
  chunkCount?: number;
  usageBytes?: number;
  lastErrorCode?: string | null;
  lastErrorMessage?: string | null;
  warnings?: string[];
}

/**
 * Writes ingestion progress to the file's row. false when the row is gone (the file was removed
 * from the store, or the store deleted, meanwhile): the job then stops.
 */
export async function writeProgress(
  db: Db,
  where: { orgId: string; vectorStoreId: string; fileId: string },
  update: ProgressUpdate,
): Promise<boolean> {
  const rows = await db
    .update(sf)
    .set({ ...update, updatedAt: new Date() })
    .where(and(eq(sf.orgId, where.orgId), eq(sf.vectorStoreId, where.vectorStoreId), eq(sf.fileId, where.fileId)))
    .returning({ status: sf.status });
  if (rows.length === 0) return false;
  if (update.status !== undefined) await refreshStoreCounts(db, where.orgId, where.vectorStoreId);
  return true;
}
