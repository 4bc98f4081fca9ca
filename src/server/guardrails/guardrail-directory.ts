import { and, asc, eq } from "drizzle-orm";
import { policySchema, type Policy } from "~/gateway/guardrails/policy/schema";
import type { GuardrailDirectory } from "~/gateway/ports";
import { logger } from "~/lib/logger";
import { OrgListCache, type CachedOrgList } from "~/server/cache/org-list-cache";
import { instancePolicies as configPolicies } from "~/server/config/instance-config";
import type { Db } from "~/server/db";
import { guardrailPolicies } from "~/server/db/schema";

/**
 * The guardrail policies an org runs, for the gateway hot path: the org's own enabled policies,
 * then the config file's instance-wide ones whose ids the org does not use (an org can replace a
 * shared policy by saving one with its id). Cached per org for a few seconds like routes; every
 * change calls `invalidateOrgPolicies`. While nothing changes the same list instance is handed
 * out (the core compiles each list once), and an org with no policies gets one shared empty list,
 * so the guard step returns at once.
 */

type Merged = { instance: readonly Policy[]; list: readonly Policy[] };

export class OrgPolicyCache extends OrgListCache<Policy, Merged> {}

export const ORG_POLICY_CACHE_TTL_MS = 5_000;

const state = globalThis as unknown as { __switchyardOrgPolicyCache?: OrgPolicyCache };

export function sharedOrgPolicyCache(): OrgPolicyCache {
  state.__switchyardOrgPolicyCache ??= new OrgPolicyCache({ ttlMs: ORG_POLICY_CACHE_TTL_MS });
  return state.__switchyardOrgPolicyCache;
}

/** Drops an org's cached policies on this instance (call after every policy change). */
export function invalidateOrgPolicies(orgId: string): void {
  state.__switchyardOrgPolicyCache?.invalidate(orgId);
}

/** The org's enabled policies; a stored row the schema no longer accepts is skipped and logged. */
export async function loadOrgPolicies(db: Db, orgId: string): Promise<Policy[]> {
  const rows = await db
    .select({ policyId: guardrailPolicies.policyId, definition: guardrailPolicies.definition })
    .from(guardrailPolicies)
    .where(and(eq(guardrailPolicies.orgId, orgId), eq(guardrailPolicies.enabled, true)))
    .orderBy(asc(guardrailPolicies.priority), asc(guardrailPolicies.policyId));
  const out: Policy[] = [];
  for (const row of rows) {
    const parsed = policySchema.safeParse({ ...row.definition, id: row.policyId });
    if (!parsed.success) {
      logger.warn("guardrail policy does not validate; skipped", {
        orgId,
        policy: row.policyId,
        problem: parsed.error.issues[0]?.message,
      });
      continue;
    }
    out.push(parsed.data);
  }
  return out;
}

const NO_POLICIES: readonly Policy[] = Object.freeze([]);

export function mergePolicies(own: readonly Policy[], instance: readonly Policy[]): readonly Policy[] {
  if (own.length === 0) return instance.length === 0 ? NO_POLICIES : instance;
  if (instance.length === 0) return own;
  const ids = new Set(own.map((p) => p.id));
  return Object.freeze([...own, ...instance.filter((p) => !ids.has(p.id))]);
}

export interface GuardrailDirectoryOptions {
  instancePolicies?: () => readonly Policy[];
  cache?: OrgPolicyCache;
}

export function createGuardrailDirectory(db: Db, options: GuardrailDirectoryOptions = {}): GuardrailDirectory {
  const source = options.instancePolicies ?? configPolicies;
  const instance = () => {
    const list = source();
    return list.length === 0 ? NO_POLICIES : list;
  };
  const cache = options.cache ?? sharedOrgPolicyCache();
  const merged = (entry: CachedOrgList<Policy, Merged>, shared: readonly Policy[]) => {
    if (entry.derived?.instance !== shared) {
      entry.derived = { instance: shared, list: mergePolicies(entry.own, shared) };
    }
    return entry.derived.list;
  };
  return {
    forOrg(orgId) {
      const shared = instance();
      const cached = cache.get(orgId);
      if (cached) return merged(cached, shared);
      return cache.load(orgId, () => loadOrgPolicies(db, orgId)).then((entry) => merged(entry, instance()));
    },
  };
}
