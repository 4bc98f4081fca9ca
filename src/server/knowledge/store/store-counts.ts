import { and, eq, sql } from "drizzle-orm";
import type { Db } from "~/server/db/client";
import { vectorStoreFiles, vectorStores, type VectorStoreFileCounts } from "~/server/db/schema";

/**
 * Recomputes a store's file counts, bytes and status from its files (cheap: one grouped query
 * over the store's rows). Called whenever a file is added, removed, or changes status.
 */
export async function refreshStoreCounts(db: Db, orgId: string, storeId: string): Promise<void> {
  const rows = await db
    .select({
      status: vectorStoreFiles.status,
      files: sql<number>`count(*)::int`,
      bytes: sql<number>`coalesce(sum(${vectorStoreFiles.usageBytes}), 0)::int`,
    })
    .from(vectorStoreFiles)
    .where(and(eq(vectorStoreFiles.orgId, orgId), eq(vectorStoreFiles.vectorStoreId, storeId)))
    .groupBy(vectorStoreFiles.status);
  const counts: VectorStoreFileCounts = { in_progress: 0, completed: 0, failed: 0, cancelled: 0, total: 0 };
  let bytes = 0;
  for (const row of rows) {
    const key = row.status === "queued" ? "in_progress" : row.status;
    counts[key] += row.files;
    counts.total += row.files;
    bytes += row.bytes;
  }
  await db
    .update(vectorStores)
    .set({
      fileCounts: counts,
      usageBytes: bytes,
      status: counts.in_progress > 0 ? "in_progress" : "completed",
      lastActiveAt: new Date(),
    })
    .where(and(eq(vectorStores.orgId, orgId), eq(vectorStores.id, storeId)));
}
