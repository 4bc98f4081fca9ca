import { asc, eq } from "drizzle-orm";
import type { ProviderDirectory } from "~/gateway/ports";
import { logger } from "~/lib/logger";
import type { ProviderConfig, ProviderTimeouts } from "~/providers/types";
import type { Db } from "~/server/db";
import { orgProviders } from "~/server/db/schema";
import { sharedInstanceProviders, type InstanceProviderSet } from "./instance-providers";
import { openProviderApiKey } from "./provider-secrets";
import { mergeTimeouts, providerSettings, RESERVED_PROVIDER_IDS } from "./provider-settings";
import { hasPrivateLiteralHost } from "./upstream-address-policy";
import { OrgListCache, type CachedOrgList } from "~/server/cache/org-list-cache";

/**
 * The upstreams an org may call, for the gateway hot path: the instance-wide providers first,
 * then the org's own ordered by priority (then name), API keys decrypted. An org's list is
 * cached per process for a few seconds; every mutation calls `invalidateOrgProviders` so this
 * instance sees it at once (other instances within the TTL).
 */

/** instance providers + own, built once per instance-list version. */
type Combined = { version: number; list: readonly ProviderConfig[] };
type CachedOrg = CachedOrgList<ProviderConfig, Combined>;

/** Per-org provider lists (see OrgListCache). */
export class OrgProviderCache extends OrgListCache<ProviderConfig, Combined> {}

/** How long an org's provider list is cached on one instance. */
export const ORG_PROVIDER_CACHE_TTL_MS = 5_000;

// On globalThis so the custom server and Next's bundled copy of this module share one cache:
// a mutation made through the console invalidates what the gateway listener reads.
const state = globalThis as unknown as { __switchyardOrgProviderCache?: OrgProviderCache };

export function sharedOrgProviderCache(): OrgProviderCache {
  state.__switchyardOrgProviderCache ??= new OrgProviderCache({ ttlMs: ORG_PROVIDER_CACHE_TTL_MS });
  return state.__switchyardOrgProviderCache;
}

/** Drops an org's cached provider list on this instance (call after every provider mutation). */
export function invalidateOrgProviders(orgId: string): void {
  state.__switchyardOrgProviderCache?.invalidate(orgId);
}

/** The org's own providers as gateway configs (keys decrypted; unusable rows skipped and logged). */
export async function loadOrgProviderConfigs(
  db: Db,
  orgId: string,
  options: {
    baseTimeouts: ProviderTimeouts;
    reservedIds: readonly string[];
    allowPrivateUpstreams: boolean;
  },
): Promise<ProviderConfig[]> {
  const rows = await db
    .select()
    .from(orgProviders)
    .where(eq(orgProviders.orgId, orgId))
    .orderBy(asc(orgProviders.priority), asc(orgProviders.name));
  const out: ProviderConfig[] = [];
  for (const row of rows) {
    if (options.reservedIds.includes(row.name)) {
      logger.warn("org provider shadowed by an instance provider of the same name; skipped", {
        orgId,
        provider: row.name,
      });
      continue;
    }
    if (!options.allowPrivateUpstreams && hasPrivateLiteralHost(row.baseUrl)) {
      // Saved while this instance allowed private upstreams (or written around the checks).
      logger.warn(
        "org provider points at a private address, which this instance refuses; skipped",
        {
          orgId,
          provider: row.name,
        },
      );
      continue;
    }
    let apiKey: string | undefined;
    if (row.apiKeyEncrypted) {
      try {
        apiKey = openProviderApiKey(row.apiKeyEncrypted, { orgId, providerId: row.id });
      } catch {
        // Wrong SWITCHYARD_ENCRYPTION_KEY or a damaged row: calling without the key would only fail upstream.
        logger.error(
          "org provider API key does not decrypt (was SWITCHYARD_ENCRYPTION_KEY changed?); provider skipped",
          {
            orgId,
            provider: row.name,
          },
        );
        continue;
      }
    }
    out.push({
      id: row.name,
      type: row.type,
      baseURL: row.baseUrl,
      ...(apiKey !== undefined ? { apiKey } : {}),
      headers: { ...row.headers },
      timeouts: mergeTimeouts(options.baseTimeouts, row.timeouts),
      models: [...row.models],
      ...(row.options && Object.keys(row.options).length > 0
        ? { options: { ...row.options } }
        : {}),
      // The host passed the checks when saved; its name may resolve elsewhere by now (rebinding).
      ...(options.allowPrivateUpstreams ? {} : { publicAddressesOnly: true }),
    });
  }
  return out;
}

export interface ProviderDirectoryOptions {
  instance?: InstanceProviderSet;
  cache?: OrgProviderCache;
  /** Timeouts org providers start from (default: the spec defaults overridden by env). */
  baseTimeouts?: ProviderTimeouts;
  /** Default: SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS (on unless NODE_ENV=production). */
  allowPrivateUpstreams?: boolean;
}

/** The `ProviderDirectory` port over the database, the instance providers and the shared cache. */
export function createProviderDirectory(
  db: Db,
  options: ProviderDirectoryOptions = {},
): ProviderDirectory {
  const instance = options.instance ?? sharedInstanceProviders();
  const cache = options.cache ?? sharedOrgProviderCache();
  const baseTimeouts = options.baseTimeouts ?? providerSettings().timeouts;
  const allowPrivateUpstreams =
    options.allowPrivateUpstreams ?? providerSettings().allowPrivateUpstreams;
  const reservedIds = [...new Set([...RESERVED_PROVIDER_IDS, ...instance.ids()])];

  const combine = (
    entry: CachedOrg,
    shared: readonly ProviderConfig[],
  ): readonly ProviderConfig[] => {
    if (entry.derived?.version !== instance.version) {
      entry.derived = {
        version: instance.version,
        list: Object.freeze(entry.own.length === 0 ? shared : [...shared, ...entry.own]),
      };
    }
    return entry.derived.list;
  };

  return {
    async listForOrg(orgId) {
      const shared = await instance.list();
      const entry =
        cache.get(orgId) ??
        (await cache.load(orgId, () =>
          loadOrgProviderConfigs(db, orgId, { baseTimeouts, reservedIds, allowPrivateUpstreams }),
        ));
      return combine(entry, shared);
    },
  };
}
