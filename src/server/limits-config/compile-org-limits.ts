import {
  NO_LIMITS,
  type BudgetRule,
  type RateLimits,
  type RequestLimits,
} from "~/gateway/limits/types";
import { DEFAULT_LIMIT_SETTINGS, type OrgLimitSettingsValue } from "./limit-settings";
import type { OrgLimitsRow } from "./load-org-limits";

/** An org's limits as lookups: built once per cache load, read by every request of the org. */
export interface CompiledOrgLimits {
  settings: Readonly<OrgLimitSettingsValue>;
  org: RateLimits | null;
  models: ReadonlyMap<string, RateLimits>;
  /** Effective limits per key (own value per measure, else its tier's); absent = none. */
  keys: ReadonlyMap<string, RateLimits>;
  keyCacheTtl: ReadonlyMap<string, number>;
  orgBudgets: readonly BudgetRule[];
  userBudgets: readonly BudgetRule[];
  keyBudgets: ReadonlyMap<string, readonly BudgetRule[]>;
  /** Answers already built, per key and model: the hot path allocates nothing on a repeat. */
  answers: Map<string, RequestLimits>;
}

/** Bound of `answers` per org (keys × models an org calls); beyond it answers are rebuilt. */
const MAX_ANSWERS = 2_000;

/** Null when no measure is limited: the engine then skips the scope entirely. */
function orNull(limits: RateLimits): RateLimits | null {
  return limits.rpm === null &&
    limits.tpm === null &&
    limits.rpd === null &&
    limits.concurrent === null
    ? null
    : Object.freeze(limits);
}

/** The key's own value per measure, else its tier's. */
export function effectiveKeyLimits(own: RateLimits, tier: RateLimits | null): RateLimits | null {
  return orNull({
    rpm: own.rpm ?? tier?.rpm ?? null,
    tpm: own.tpm ?? tier?.tpm ?? null,
    rpd: own.rpd ?? tier?.rpd ?? null,
    concurrent: own.concurrent ?? tier?.concurrent ?? null,
  });
}

export function compileOrgLimits(rows: readonly OrgLimitsRow[]): CompiledOrgLimits {
  let settings: Readonly<OrgLimitSettingsValue> = DEFAULT_LIMIT_SETTINGS;
  const tiers = new Map<string, RateLimits>();
  const keys = new Map<string, RateLimits>();
  const keyCacheTtl = new Map<string, number>();
  const models = new Map<string, RateLimits>();
  let org: RateLimits | null = null;
  const orgBudgets: BudgetRule[] = [];
  const userBudgets: BudgetRule[] = [];
  const keyBudgets = new Map<string, BudgetRule[]>();

  for (const row of rows) if (row.kind === "tier") tiers.set(row.id, row.limits);
  for (const row of rows) {
    switch (row.kind) {
      case "settings":
        settings = Object.freeze({ ...row.settings });
        break;
      case "key": {
        const tier = row.tierId ? (tiers.get(row.tierId) ?? null) : null;
        const effective = effectiveKeyLimits(row.limits, tier);
        if (effective) keys.set(row.keyId, effective);
        if (row.cacheTtlSeconds !== null) keyCacheTtl.set(row.keyId, row.cacheTtlSeconds);
        break;
      }
      case "org": {
        const limits = orNull({ ...row.limits });
        if (!limits) break;
        if (row.model === null) org = limits;
        else models.set(row.model, limits);
        break;
      }
      case "budget": {
        const rule = row.rule;
        if (rule.scope === "org") orgBudgets.push(rule);
        else if (rule.scope === "user") userBudgets.push(rule);
        else if (rule.keyId) {
          const list = keyBudgets.get(rule.keyId) ?? [];
          list.push(rule);
          keyBudgets.set(rule.keyId, list);
        }
        break;
      }
      case "tier":
        break;
    }
  }
  return {
    settings,
    org,
    models,
    keys,
    keyCacheTtl,
    orgBudgets: Object.freeze(orgBudgets),
    userBudgets: Object.freeze(userBudgets),
    keyBudgets,
    answers: new Map(),
  };
}

const NO_BUDGETS: readonly BudgetRule[] = Object.freeze([]);

/** The `RequestLimits` of one request, shared (frozen) between requests of the same key and model. */
export function requestLimitsFor(
  compiled: CompiledOrgLimits,
  keyId: string,
  model: string,
): RequestLimits {
  const memo = `${keyId}\u0000${model}`;
  const known = compiled.answers.get(memo);
  if (known) return known;
  const own = compiled.keyBudgets.get(keyId);
  const budgets =
    own === undefined && compiled.userBudgets.length === 0
      ? compiled.orgBudgets.length === 0
        ? NO_BUDGETS
        : compiled.orgBudgets
      : Object.freeze([...compiled.orgBudgets, ...(own ?? []), ...compiled.userBudgets]);
  const key = compiled.keys.get(keyId) ?? null;
  const modelLimits = compiled.models.get(model) ?? null;
  // Nothing applies: the shared constant, which the engine recognises without looking inside.
  const answer: RequestLimits =
    key === null && compiled.org === null && modelLimits === null && budgets.length === 0
      ? NO_LIMITS
      : Object.freeze({
          key,
          org: compiled.org,
          model: modelLimits,
          budgets,
          allowUnpriced: compiled.settings.allowUnpricedUnderHardBudget,
        });
  if (compiled.answers.size >= MAX_ANSWERS) compiled.answers.clear();
  compiled.answers.set(memo, answer);
  return answer;
}
