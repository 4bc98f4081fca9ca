import type { MaybePromise } from "~/gateway/ports";
import type { LimitsDirectory } from "~/gateway/limits/types";
import type { Db } from "~/server/db";
import { OrgListCache, type CachedOrgList } from "~/server/cache/org-list-cache";
import { compileOrgLimits, requestLimitsFor, type CompiledOrgLimits } from "./compile-org-limits";
import type { CacheSettings, OrgLimitSettingsValue } from "./limit-settings";
import { loadOrgLimitRows, type OrgLimitsRow } from "./load-org-limits";

/**
 * The gateway's view of an org's limits, budgets and limit settings: one load per org (five small
 * queries) cached per process for a few seconds and compiled into lookups, so a request on a warm
 * org costs a few map reads and no allocation. Every console/CLI change calls `invalidateOrgLimits`
 * so this instance sees it at once; other instances (and the server while the CLI changes limits)
 * within the TTL.
 */

/** Per-org limit rows; `derived` holds them compiled (see OrgListCache). */
export class OrgLimitsCache extends OrgListCache<OrgLimitsRow, CompiledOrgLimits> {}

/** How long an org's limits are cached on one instance. */
export const ORG_LIMITS_CACHE_TTL_MS = 5_000;

// On globalThis so the custom server and Next's bundled copy of this module share one cache: a
// change made through the console invalidates what the gateway listener reads.
const state = globalThis as unknown as { __switchyardOrgLimitsCache?: OrgLimitsCache };

export function sharedOrgLimitsCache(): OrgLimitsCache {
  state.__switchyardOrgLimitsCache ??= new OrgLimitsCache({ ttlMs: ORG_LIMITS_CACHE_TTL_MS });
  return state.__switchyardOrgLimitsCache;
}

/** Drops an org's cached limits on this instance (call after every limits or settings change). */
export function invalidateOrgLimits(orgId: string): void {
  state.__switchyardOrgLimitsCache?.invalidate(orgId);
}

export interface LimitsDirectoryOptions {
  cache?: OrgLimitsCache;
}

function compiled(entry: CachedOrgList<OrgLimitsRow, CompiledOrgLimits>): CompiledOrgLimits {
  entry.derived ??= compileOrgLimits(entry.own);
  return entry.derived;
}

/** The org's compiled limits: synchronous on a cache hit, one shared load on a miss. */
export function orgLimitsFor(
  db: Db,
  orgId: string,
  cache: OrgLimitsCache = sharedOrgLimitsCache(),
): MaybePromise<CompiledOrgLimits> {
  const hit = cache.get(orgId);
  if (hit) return compiled(hit);
  return cache.load(orgId, () => loadOrgLimitRows(db, orgId)).then(compiled);
}

function then<T, U>(value: MaybePromise<T>, fn: (v: T) => U): MaybePromise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/** The `LimitsDirectory` port over the database and the shared per-org cache. */
export function createLimitsDirectory(
  db: Db,
  options: LimitsDirectoryOptions = {},
): LimitsDirectory & { invalidate(orgId: string): void } {
  const cache = options.cache ?? sharedOrgLimitsCache();
  return {
    forRequest(orgId, keyId, model) {
      return then(orgLimitsFor(db, orgId, cache), (c) => requestLimitsFor(c, keyId, model));
    },
    invalidate(orgId) {
      cache.invalidate(orgId);
    },
  };
}

/** The org's limit and cache settings (defaults when never changed), cached with its limits. */
export function getOrgLimitSettings(
  db: Db,
  orgId: string,
  cache?: OrgLimitsCache,
): MaybePromise<Readonly<OrgLimitSettingsValue>> {
  return then(orgLimitsFor(db, orgId, cache), (c) => c.settings);
}

/** The response-cache settings for a request of `keyId`: the key's TTL override, else the org's. */
export function cacheSettingsFor(
  db: Db,
  orgId: string,
  keyId: string,
  cache?: OrgLimitsCache,
): MaybePromise<CacheSettings> {
  return then(orgLimitsFor(db, orgId, cache), (c) => ({
    cacheDefault: c.settings.cacheDefault,
    ttlSeconds: c.keyCacheTtl.get(keyId) ?? c.settings.cacheTtlSeconds,
    semantic: c.settings.semanticCache ? { threshold: c.settings.semanticThreshold } : null,
  }));
}
