import { eq } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { OrgSettingsReader } from "~/gateway/ports";
import type { Db } from "~/server/db";
import { orgSettings } from "~/server/db/schema";

export interface OrgSettingsValue {
  storeBodies: boolean;
}

/** What an org without a settings row gets. */
export const DEFAULT_ORG_SETTINGS: Readonly<OrgSettingsValue> = Object.freeze({ storeBodies: true });

export const DEFAULT_ORG_SETTINGS_TTL_MS = 5_000;

interface CacheState {
  cache: LRUCache<string, Readonly<OrgSettingsValue>>;
  inflight: Map<string, Promise<Readonly<OrgSettingsValue>>>;
}

// One cache per database on globalThis: the console's toggle (Next's bundle) invalidates the
// entry the gateway and log writer (custom server) read, so a change applies at once on this
// instance and within the TTL on the others.
const state = globalThis as unknown as { __switchyardOrgSettings?: WeakMap<Db, CacheState> };

function cacheFor(db: Db, maxEntries: number): CacheState {
  state.__switchyardOrgSettings ??= new WeakMap();
  let entry = state.__switchyardOrgSettings.get(db);
  if (!entry) {
    entry = { cache: new LRUCache({ max: maxEntries }), inflight: new Map() };
    state.__switchyardOrgSettings.set(db, entry);
  }
  return entry;
}

/**
 * The gateway's view of org switches: a cache hit answers synchronously; a miss runs one query
 * (shared by concurrent misses) and caches the answer, "no row" included, for `ttlMs`.
 */
export function createOrgSettingsReader(
  db: Db,
  options: { ttlMs?: number; maxEntries?: number } = {},
): OrgSettingsReader {
  const ttl = options.ttlMs ?? DEFAULT_ORG_SETTINGS_TTL_MS;
  const { cache, inflight } = cacheFor(db, options.maxEntries ?? 10_000);

  const load = (orgId: string): Promise<Readonly<OrgSettingsValue>> => {
    const pending = inflight.get(orgId);
    if (pending) return pending;
    const query: Promise<Readonly<OrgSettingsValue>> = db
      .select({ storeBodies: orgSettings.storeBodies })
      .from(orgSettings)
      .where(eq(orgSettings.orgId, orgId))
      .limit(1)
      .then(([row]) => {
        const value = row ? Object.freeze({ storeBodies: row.storeBodies }) : DEFAULT_ORG_SETTINGS;
        // Not cached when invalidated while the query ran: it may predate the change.
        if (inflight.get(orgId) === query && ttl > 0) cache.set(orgId, value, { ttl });
        return value;
      })
      .finally(() => {
        if (inflight.get(orgId) === query) inflight.delete(orgId);
      });
    inflight.set(orgId, query);
    return query;
  };

  return {
    get(orgId) {
      return cache.get(orgId) ?? load(orgId);
    },
  };
}

/** Drops an org's cached settings on this instance (after changing them). */
export function invalidateOrgSettings(db: Db, orgId: string): void {
  const entry = state.__switchyardOrgSettings?.get(db);
  entry?.cache.delete(orgId);
  entry?.inflight.delete(orgId);
}
