import { and, eq, type SQL } from "drizzle-orm";
import type { CreateStoreInput, ListPage, ListQuery, VectorStoreObject } from "~/gateway/knowledge/types";
import type { Db } from "~/server/db/client";
import { vectorStores } from "~/server/db/schema";
import { DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE } from "../chunk";
import { storeObject, type StoreRow } from "./api-objects";
import { newVectorStoreId } from "./knowledge-ids";
import { pageCursor, pageOrder, toPage } from "./list-page";

/** Vector stores of an org (`/v1/vector_stores`). */

const v = vectorStores;

export async function createVectorStore(
  db: Db,
  orgId: string,
  input: Omit<CreateStoreInput, "fileIds">,
): Promise<StoreRow> {
  const size = input.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const overlap = Math.min(input.chunkOverlap ?? DEFAULT_CHUNK_OVERLAP, Math.floor(size / 2));
  const [row] = await db
    .insert(v)
    .values({
      id: newVectorStoreId(),
      orgId,
      name: input.name,
      chunkSize: size,
      chunkOverlap: overlap,
      embeddingModel: input.embeddingModel,
      metadata: input.metadata,
    })
    .returning();
  return row!;
}

export async function findVectorStore(db: Db, orgId: string, storeId: string): Promise<StoreRow | null> {
  const [row] = await db.select().from(v).where(and(eq(v.orgId, orgId), eq(v.id, storeId)));
  return row ?? null;
}

export async function listVectorStores(db: Db, orgId: string, query: ListQuery): Promise<ListPage<VectorStoreObject>> {
  const cursor = async (id: string | null) =>
    id === null ? null : ((await findVectorStore(db, orgId, id)) ?? { id, createdAt: new Date(0) });
  const conditions: (SQL | undefined)[] = [
    eq(v.orgId, orgId),
    pageCursor(query, v.createdAt, v.id, await cursor(query.after), "after"),
    pageCursor(query, v.createdAt, v.id, await cursor(query.before), "before"),
  ];
  const rows = await db
    .select()
    .from(v)
    .where(and(...conditions))
    .orderBy(...pageOrder(query, v.createdAt, v.id))
    .limit(query.limit + 1);
  const page = toPage(rows, query.limit);
  return { data: page.data.map(storeObject), has_more: page.has_more };
}

/** Deletes the store, its file links (cascade) and, through `deleteChunks`, its chunks. */
export async function deleteVectorStore(
  db: Db,
  orgId: string,
  storeId: string,
  deleteChunks: (where: { orgId: string; vectorStoreId: string }) => Promise<void>,
): Promise<boolean> {
  const deleted = await db
    .delete(v)
    .where(and(eq(v.orgId, orgId), eq(v.id, storeId)))
    .returning({ id: v.id });
  if (deleted.length === 0) return false;
  await deleteChunks({ orgId, vectorStoreId: storeId });
  return true;
}
