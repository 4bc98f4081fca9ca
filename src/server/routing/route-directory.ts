import { and, asc, eq } from "drizzle-orm";
import type { RouteDirectory } from "~/gateway/ports";
import { routeDefinitionSchema, type RouteDefinition } from "~/gateway/routing/route-schema";
import { logger } from "~/lib/logger";
import type { Db } from "~/server/db";
import { routes } from "~/server/db/schema";
import { instanceRoutes as configRoutes } from "~/server/config/instance-config";
import { OrgListCache, type CachedOrgList } from "~/server/cache/org-list-cache";

/**
 * The routes (virtual models) an org may call, for the gateway hot path: the org's own enabled
 * routes, then the instance-wide routes of the config file. When an org route has the name of an
 * instance route, the org's own wins for that org (the core takes the first route of a name, and
 * the merged list leaves the shadowed instance route out): an org can refine a shared default
 * without asking the operator, and other orgs keep the instance route.
 *
 * An org's rows are cached per process for a few seconds; every mutation calls
 * `invalidateOrgRoutes` so this instance sees it at once (other instances, and the server while
 * the CLI changes routes, within the TTL). The merged list is rebuilt only when the org's rows or
 * the config's routes change, so the core's per-list indexes stay warm.
 */

/** own + the instance routes it does not shadow, for one instance-route list. */
type Merged = { instance: readonly RouteDefinition[]; list: readonly RouteDefinition[] };
type CachedOrg = CachedOrgList<RouteDefinition, Merged>;

/** Per-org route lists (see OrgListCache). */
export class OrgRouteCache extends OrgListCache<RouteDefinition, Merged> {}

/** How long an org's route list is cached on one instance. */
export const ORG_ROUTE_CACHE_TTL_MS = 5_000;

// On globalThis so the custom server and Next's bundled copy of this module share one cache:
// a change made through the console invalidates what the gateway listener reads.
const state = globalThis as unknown as { __switchyardOrgRouteCache?: OrgRouteCache };

export function sharedOrgRouteCache(): OrgRouteCache {
  state.__switchyardOrgRouteCache ??= new OrgRouteCache({ ttlMs: ORG_ROUTE_CACHE_TTL_MS });
  return state.__switchyardOrgRouteCache;
}

/** Drops an org's cached route list on this instance (call after every route change). */
export function invalidateOrgRoutes(orgId: string): void {
  state.__switchyardOrgRouteCache?.invalidate(orgId);
}

/**
 * The org's enabled routes, by name. Rows are validated again on the way out: a row written by an
 * older version (or by hand) that the schema no longer accepts is skipped and logged, never served
 * half-understood.
 */
export async function loadOrgRoutes(db: Db, orgId: string): Promise<RouteDefinition[]> {
  const rows = await db
    .select({ name: routes.name, definition: routes.definition })
    .from(routes)
    .where(and(eq(routes.orgId, orgId), eq(routes.enabled, true)))
    .orderBy(asc(routes.name));
  const out: RouteDefinition[] = [];
  for (const row of rows) {
    const parsed = routeDefinitionSchema.safeParse({ ...row.definition, name: row.name });
    if (!parsed.success) {
      logger.warn("org route does not validate; skipped", {
        orgId,
        route: row.name,
        problem: parsed.error.issues[0]?.message,
      });
      continue;
    }
    out.push(parsed.data);
  }
  return out;
}

/** The org's routes first, then the instance routes whose names the org does not use. */
export function mergeRoutes(
  own: readonly RouteDefinition[],
  instance: readonly RouteDefinition[],
): readonly RouteDefinition[] {
  if (own.length === 0) return instance;
  const names = new Set(own.map((r) => r.name));
  return Object.freeze([...own, ...instance.filter((r) => !names.has(r.name))]);
}

const NO_ROUTES: readonly RouteDefinition[] = Object.freeze([]);

export interface RouteDirectoryOptions {
  /** The instance-wide routes (default: the config file's, re-read after a reload). */
  instanceRoutes?: () => readonly RouteDefinition[];
  cache?: OrgRouteCache;
}

/** The `RouteDirectory` port over the database, the config file's routes and the shared cache. */
export function createRouteDirectory(db: Db, options: RouteDirectoryOptions = {}): RouteDirectory {
  const source = options.instanceRoutes ?? configRoutes;
  // Without a config file the source answers a fresh `[]` each time: one shared empty list keeps
  // the merged lists (and the core's indexes over them) from being rebuilt on every request.
  const instance = () => {
    const list = source();
    return list.length === 0 ? NO_ROUTES : list;
  };
  const cache = options.cache ?? sharedOrgRouteCache();

  const merged = (entry: CachedOrg, shared: readonly RouteDefinition[]) => {
    if (entry.derived?.instance !== shared) {
      entry.derived = { instance: shared, list: mergeRoutes(entry.own, shared) };
    }
    return entry.derived.list;
  };

  return {
    forOrg(orgId) {
      const shared = instance();
      const cached = cache.get(orgId);
      // Synchronous on a hit: the core awaits only what is a promise.
      if (cached) return merged(cached, shared);
      return cache
        .load(orgId, () => loadOrgRoutes(db, orgId))
        .then((entry) => merged(entry, instance()));
    },
  };
}
