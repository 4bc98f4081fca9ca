import { and, eq, gt, inArray, lte, sql } from "drizzle-orm";
import { metaFromStored, metaToStored, type CacheEntry } from "~/gateway/cache/cache-entry";
import type { ResponseCacheStore } from "~/gateway/cache/cache-store";
import type { Db } from "~/server/db/client";
import { organizations } from "~/server/db/schema/organizations";
import { responseCache } from "~/server/db/schema/response-cache";
import { lastPerKey, pgErrorCode } from "./batch-helpers";

/** Rows removed per statement by the cleanup (keeps each delete's locks and WAL short). */
const DELETE_BATCH = 5_000;

/**
 * The response cache's shared tier on the `response_cache` table: one indexed read per lookup,
 * batched upserts, batched cleanup. Every query names the org.
 */
export function createPostgresCacheStore(db: Db): ResponseCacheStore {
  async function upsert(entries: readonly CacheEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await db
      .insert(responseCache)
      .values(
        entries.map((e) => ({
          orgId: e.orgId,
          key: e.key,
          body: e.body,
          meta: metaToStored(e.meta),
          expiresAt: new Date(e.meta.expiresAt),
          createdAt: new Date(e.meta.createdAt),
        })),
      )
      .onConflictDoUpdate({
        target: [responseCache.orgId, responseCache.key],
        set: {
          body: sql`excluded.body`,
          meta: sql`excluded.meta`,
          expiresAt: sql`excluded.expires_at`,
          createdAt: sql`excluded.created_at`,
        },
      });
  }

  return {
    kind: "postgres",

    async get(orgId, key, now) {
      const [row] = await db
        .select({ body: responseCache.body, meta: responseCache.meta })
        .from(responseCache)
        .where(
          and(
            eq(responseCache.orgId, orgId),
            eq(responseCache.key, key),
            gt(responseCache.expiresAt, new Date(now)),
          ),
        )
        .limit(1);
      if (!row) return null;
      const meta = metaFromStored(row.meta);
      return meta === null ? null : { orgId, key, body: row.body, meta };
    },

    async setMany(entries) {
      // One statement cannot upsert a row twice: the latest write of a key wins.
      const rows = lastPerKey(entries, (e) => `${e.orgId}\0${e.key}`);
      try {
        await upsert(rows);
      } catch (err) {
        // An org deleted while its entries waited in the queue fails the whole batch (foreign
        // key): write the rows of the orgs that still exist.
        if (pgErrorCode(err) !== "23503") throw err;
        const orgIds = [...new Set(rows.map((r) => r.orgId))];
        const alive = await db
          .select({ id: organizations.id })
          .from(organizations)
          .where(inArray(organizations.id, orgIds));
        const ids = new Set(alive.map((r) => r.id));
        await upsert(rows.filter((r) => ids.has(r.orgId)));
      }
    },

    async deleteExpired(now) {
      let total = 0;
      for (;;) {
        const expired = db
          .select({ orgId: responseCache.orgId, key: responseCache.key })
          .from(responseCache)
          .where(lte(responseCache.expiresAt, new Date(now)))
          .limit(DELETE_BATCH);
        const deleted = await db
          .delete(responseCache)
          .where(sql`(${responseCache.orgId}, ${responseCache.key}) in (${expired})`)
          .returning({ key: responseCache.key });
        total += deleted.length;
        if (deleted.length < DELETE_BATCH) return total;
      }
    },

    async clearOrg(orgId) {
      const deleted = await db
        .delete(responseCache)
        .where(eq(responseCache.orgId, orgId))
        .returning({ key: responseCache.key });
      return deleted.length;
    },
  };
}
