import { LRUCache } from "lru-cache";

/**
 * One org's list as loaded from the database (`own`), plus what a directory derives from it and
 * an instance-wide list (`derived`, rebuilt only when that instance list changes, so callers can
 * keep per-list indexes warm).
 */
export interface CachedOrgList<T, Derived> {
  own: readonly T[];
  derived: Derived | null;
}

export interface OrgListCacheOptions {
  ttlMs: number;
  maxOrgs?: number;
}

/**
 * Per-org lists (providers, routes) with a short TTL, one load per org however many requests miss
 * at once. `invalidate` after a mutation: a load that was in flight meanwhile is not cached (its
 * answer may predate the mutation).
 */
export class OrgListCache<T, Derived> {
  private readonly entries: LRUCache<string, CachedOrgList<T, Derived>> | null;
  private readonly inflight = new Map<string, Promise<CachedOrgList<T, Derived>>>();

  constructor(options: OrgListCacheOptions) {
    // lru-cache reads ttl 0 as "never expires"; here 0 means "do not cache".
    this.entries =
      options.ttlMs > 0
        ? new LRUCache({ max: options.maxOrgs ?? 10_000, ttl: options.ttlMs, ttlAutopurge: false })
        : null;
  }

  get(orgId: string): CachedOrgList<T, Derived> | undefined {
    return this.entries?.get(orgId);
  }

  load(orgId: string, loader: () => Promise<readonly T[]>): Promise<CachedOrgList<T, Derived>> {
    const pending = this.inflight.get(orgId);
    if (pending) return pending;
    const lookup: Promise<CachedOrgList<T, Derived>> = loader().then(
      (own) => {
        const entry: CachedOrgList<T, Derived> = { own, derived: null };
        if (this.inflight.get(orgId) === lookup) {
          this.inflight.delete(orgId);
          this.entries?.set(orgId, entry);
        }
        return entry;
      },
      (err: unknown) => {
        if (this.inflight.get(orgId) === lookup) this.inflight.delete(orgId);
        throw err;
      },
    );
    this.inflight.set(orgId, lookup);
    return lookup;
  }

  invalidate(orgId: string): void {
    this.entries?.delete(orgId);
    this.inflight.delete(orgId);
  }

  clear(): void {
    this.entries?.clear();
    this.inflight.clear();
  }
}
