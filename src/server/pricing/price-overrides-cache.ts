import { eq } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Db } from "~/server/db";
import { modelPrices } from "~/server/db/schema";

/** One org's custom price for a model, in micro-dollars per million tokens. */
export interface PriceOverride {
  model: string;
  inputMicrosPerMTok: bigint;
  outputMicrosPerMTok: bigint;
  cachedInputMicrosPerMTok: bigint | null;
}

/** An org's overrides by lower-cased model name (`model` or `provider/model`). */
export type OrgPriceOverrides = ReadonlyMap<string, PriceOverride>;

export const DEFAULT_OVERRIDES_TTL_MS = 10_000;

interface CacheState {
  cache: LRUCache<string, OrgPriceOverrides>;
  inflight: Map<string, Promise<OrgPriceOverrides>>;
}

// On globalThis, one cache per database, so that the console's mutation (in Next's bundle) and
// the log writer (in the custom server) see the same entries and an edit takes effect at once on
// this instance; other instances pick it up when their entry expires.
const state = globalThis as unknown as { __switchyardPriceOverrides?: WeakMap<Db, CacheState> };

function cacheFor(db: Db): CacheState {
  state.__switchyardPriceOverrides ??= new WeakMap();
  let entry = state.__switchyardPriceOverrides.get(db);
  if (!entry) {
    entry = { cache: new LRUCache({ max: 10_000 }), inflight: new Map() };
    state.__switchyardPriceOverrides.set(db, entry);
  }
  return entry;
}

export function overrideKey(model: string): string {
  return model.trim().toLowerCase();
}

/** The org's overrides, from the cache when fresh (concurrent misses share one query). */
export function loadPriceOverrides(
  db: Db,
  orgId: string,
  ttlMs: number = DEFAULT_OVERRIDES_TTL_MS,
): Promise<OrgPriceOverrides> {
  const { cache, inflight } = cacheFor(db);
  const hit = cache.get(orgId);
  if (hit) return Promise.resolve(hit);
  const pending = inflight.get(orgId);
  if (pending) return pending;
  const query: Promise<OrgPriceOverrides> = db
    .select({
      model: modelPrices.model,
      inputMicrosPerMTok: modelPrices.inputMicrosPerMTok,
      outputMicrosPerMTok: modelPrices.outputMicrosPerMTok,
      cachedInputMicrosPerMTok: modelPrices.cachedInputMicrosPerMTok,
    })
    .from(modelPrices)
    .where(eq(modelPrices.orgId, orgId))
    .then((rows) => {
      const map = new Map(rows.map((r) => [overrideKey(r.model), r]));
      if (inflight.get(orgId) === query) {
        inflight.delete(orgId);
        if (ttlMs > 0) cache.set(orgId, map, { ttl: ttlMs });
      }
      return map;
    })
    .finally(() => {
      if (inflight.get(orgId) === query) inflight.delete(orgId);
    });
  inflight.set(orgId, query);
  return query;
}

/** Drops an org's cached overrides (after adding or removing one). */
export function invalidatePriceOverrides(db: Db, orgId: string): void {
  const entry = state.__switchyardPriceOverrides?.get(db);
  entry?.cache.delete(orgId);
  entry?.inflight.delete(orgId);
}
