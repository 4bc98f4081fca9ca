import { and, eq, type SQL } from "drizzle-orm";
import type { FileObject, ListPage, ListQuery, UploadInput } from "~/gateway/knowledge/types";
import type { Db } from "~/server/db/client";
import { knowledgeFiles, vectorStoreFiles } from "~/server/db/schema";
import { fileObject } from "./api-objects";
import { newFileId } from "./knowledge-ids";
import { pageCursor, pageOrder, toPage } from "./list-page";
import { refreshStoreCounts } from "./store-counts";

/** Uploaded files of an org (`/v1/files`). The bytes stay in the database until deleted. */

const f = knowledgeFiles;
const listed = {
  id: f.id,
  orgId: f.orgId,
  filename: f.filename,
  purpose: f.purpose,
  bytes: f.bytes,
  contentType: f.contentType,
  createdAt: f.createdAt,
};

export async function uploadFile(db: Db, orgId: string, input: UploadInput): Promise<FileObject> {
  const [row] = await db
    .insert(f)
    .values({
      id: newFileId(),
      orgId,
      filename: input.filename,
      purpose: input.purpose,
      bytes: input.bytes.byteLength,
      contentType: input.contentType,
      data: Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength),
    })
    .returning(listed);
  return fileObject(row!);
}

export async function listFiles(
  db: Db,
  orgId: string,
  query: ListQuery & { purpose: string | null },
): Promise<ListPage<FileObject>> {
  const cursorRow = async (id: string | null) => {
    if (id === null) return null;
    const [row] = await db
      .select({ id: f.id, createdAt: f.createdAt })
      .from(f)
      .where(and(eq(f.orgId, orgId), eq(f.id, id)));
    return row ?? { id, createdAt: new Date(0) };
  };
  const conditions: (SQL | undefined)[] = [
    eq(f.orgId, orgId),
    query.purpose === null ? undefined : eq(f.purpose, query.purpose),
    pageCursor(query, f.createdAt, f.id, await cursorRow(query.after), "after"),
    pageCursor(query, f.createdAt, f.id, await cursorRow(query.before), "before"),
  ];
  const rows = await db
    .select(listed)
    .from(f)
    .where(and(...conditions))
    .orderBy(...pageOrder(query, f.createdAt, f.id))
    .limit(query.limit + 1);
  const page = toPage(rows, query.limit);
  return { data: page.data.map(fileObject), has_more: page.has_more };
}

export async function getFile(db: Db, orgId: string, fileId: string): Promise<FileObject | null> {
  const [row] = await db.select(listed).from(f).where(and(eq(f.orgId, orgId), eq(f.id, fileId)));
  return row ? fileObject(row) : null;
}

/** The file's bytes and names, for ingestion. */
export async function readFileContent(db: Db, orgId: string, fileId: string) {
  const [row] = await db
    .select({ filename: f.filename, contentType: f.contentType, data: f.data, bytes: f.bytes })
    .from(f)
    .where(and(eq(f.orgId, orgId), eq(f.id, fileId)));
  return row ?? null;
}

/**
 * Deletes a file and takes it out of every vector store of the org (its chunks included), as
 * OpenAI does. `deleteChunks` removes the file's chunks (absent without pgvector).
 */
export async function deleteFile(
  db: Db,
  orgId: string,
  fileId: string,
  deleteChunks: (where: { orgId: string; fileId: string }) => Promise<void>,
): Promise<boolean> {
  const stores = await db
    .select({ id: vectorStoreFiles.vectorStoreId })
    .from(vectorStoreFiles)
    .where(and(eq(vectorStoreFiles.orgId, orgId), eq(vectorStoreFiles.fileId, fileId)));
  const deleted = await db
    .delete(f)
    .where(and(eq(f.orgId, orgId), eq(f.id, fileId)))
    .returning({ id: f.id });
  if (deleted.length === 0) return false;
  await deleteChunks({ orgId, fileId });
  for (const store of stores) await refreshStoreCounts(db, orgId, store.id);
  return true;
}
