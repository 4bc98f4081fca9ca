import { and, cosineDistance, eq, gt, lte, sql } from "drizzle-orm";
import type { SemanticCacheStore } from "~/gateway/cache/cache-store";
import type { Db } from "~/server/db/client";
import { semanticCacheEntries } from "~/server/db/schema-vector/semantic-cache";
import { lastPerKey } from "./batch-helpers";

/** The width of `semantic_cache_entries.embedding`. */
export const SEMANTIC_DIMENSIONS = 384;
const DELETE_BATCH = 5_000;

export interface PgvectorSemanticStoreOptions {
  db: Db;
  /** From the database handle: whether the vector migration set is applied. */
  vectorAvailable: boolean;
  vectorUnavailableReason?: string;
}

const t = semanticCacheEntries;

function checkDimensions(embedding: readonly number[]): void {
  if (embedding.length !== SEMANTIC_DIMENSIONS) {
    throw new Error(
      `semantic cache embeddings have ${SEMANTIC_DIMENSIONS} dimensions; the embedder returned ${embedding.length}`,
    );
  }
}

/** Versions of pgvector whose HNSW scans can keep going past `ef_search` candidates (0.8+). */
function hasIterativeScan(version: string | null): boolean {
  const [major = 0, minor = 0] = (version ?? "0.0").split(".").map(Number);
  return major > 0 || minor >= 8;
}

/**
 * The semantic tier on pgvector. Nearest neighbour by cosine distance among the rows of one org
 * and fingerprint. The HNSW index serves large tables; because the filter is applied to what the
 * index returns, pgvector ≥ 0.8 is told to scan on (`hnsw.iterative_scan`) until a row of the
 * org and fingerprint turns up, so a busy table cannot hide another org's match. Where the
 * database has no pgvector the store reports itself unavailable and refuses every call.
 */
export function createPgvectorSemanticStore(
  options: PgvectorSemanticStoreOptions,
): SemanticCacheStore {
  const { db } = options;
  if (!options.vectorAvailable) {
    const reason = options.vectorUnavailableReason ?? "pgvector is not installed in this database";
    const refuse = () => Promise.reject(new Error(`semantic cache unavailable: ${reason}`));
    return {
      available: false,
      unavailableReason: reason,
      nearest: refuse,
      insertMany: refuse,
      deleteExpired: async () => 0,
      clearOrg: async () => 0,
    };
  }

  let iterative: Promise<boolean> | null = null;
  const iterativeScan = () =>
    (iterative ??= db
      .execute<{ extversion: string }>(
        sql`select extversion from pg_extension where extname = 'vector'`,
      )
      .then((result) => {
        const rows = Array.isArray(result)
          ? result
          : (result as { rows: { extversion: string }[] }).rows;
        return hasIterativeScan(rows[0]?.extversion ?? null);
      })
      .catch(() => false));

  return {
    available: true,

    async nearest({ orgId, fingerprint, embedding, now }) {
      checkDimensions(embedding);
      const distance = cosineDistance(t.embedding, embedding as number[]);
      const query = (q: Db) =>
        q
          .select({ key: t.cacheKey, distance })
          .from(t)
          .where(
            and(eq(t.orgId, orgId), eq(t.fingerprint, fingerprint), gt(t.expiresAt, new Date(now))),
          )
          .orderBy(distance)
          .limit(1);
      const rows = (await iterativeScan())
        ? await db.transaction(async (tx) => {
            await tx.execute(sql`select set_config('hnsw.iterative_scan', 'strict_order', true)`);
            return query(tx as unknown as Db);
          })
        : await query(db);
      const row = rows[0];
      if (!row) return null;
      return { key: row.key, similarity: 1 - Number(row.distance) };
    },

    async insertMany(rows) {
      const unique = lastPerKey(rows, (r) => `${r.orgId}\0${r.key}`);
      if (unique.length === 0) return;
      for (const r of unique) checkDimensions(r.embedding);
      await db
        .insert(t)
        .values(
          unique.map((r) => ({
            orgId: r.orgId,
            cacheKey: r.key,
            fingerprint: r.fingerprint,
            embedding: [...r.embedding],
            expiresAt: new Date(r.expiresAt),
          })),
        )
        .onConflictDoUpdate({
          target: [t.orgId, t.cacheKey],
          set: {
            fingerprint: sql`excluded.fingerprint`,
            embedding: sql`excluded.embedding`,
            expiresAt: sql`excluded.expires_at`,
            createdAt: sql`now()`,
          },
        });
    },

    async deleteExpired(now) {
      let total = 0;
      for (;;) {
        const expired = db
          .select({ orgId: t.orgId, key: t.cacheKey })
          .from(t)
          .where(lte(t.expiresAt, new Date(now)))
          .limit(DELETE_BATCH);
        const deleted = await db
          .delete(t)
          .where(sql`(${t.orgId}, ${t.cacheKey}) in (${expired})`)
          .returning({ key: t.cacheKey });
        total += deleted.length;
        if (deleted.length < DELETE_BATCH) return total;
      }
    },

    async clearOrg(orgId) {
      const deleted = await db.delete(t).where(eq(t.orgId, orgId)).returning({ key: t.cacheKey });
      return deleted.length;
    },
  };
}
