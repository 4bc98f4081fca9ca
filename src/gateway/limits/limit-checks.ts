import { periodBounds } from "./budget-periods";
import type { BudgetRule, RateLimits, RequestLimits } from "./types";

/**
 * Which counters a request touches, derived from its `RequestLimits`: the engine turns these into
 * store plans, headers and refusal messages. Store keys start with the org id in braces, a Redis
 * Cluster hash tag, so every key of one request lives in one slot and a script may touch them all.
 */

export type LimitScope = "key" | "org" | "model";
export type RateMeasure = "rpm" | "tpm" | "rpd";

export const WINDOW_MS: Record<RateMeasure, number> = { rpm: 60_000, tpm: 60_000, rpd: 86_400_000 };

/** Budget counters outlive their period by this much, so late settles still find them. */
export const BUDGET_GRACE_MS = 86_400_000;

export interface RequestSubject {
  orgId: string;
  keyId: string | null;
  model: string;
  endUser: string | null;
}

export interface RateCheck {
  scope: LimitScope;
  measure: RateMeasure;
  key: string;
  limit: number;
  windowMs: number;
}

export interface LeaseCheck {
  scope: LimitScope;
  key: string;
  limit: number;
}

export interface BudgetCheck {
  budget: BudgetRule;
  key: string;
  periodStart: number;
  periodEnd: number | null;
  expiresAt: number | null;
}

function tag(orgId: string): string {
  return `{${orgId}}`;
}

function scopeSubject(scope: LimitScope, s: RequestSubject): string | null {
  if (scope === "key") return s.keyId;
  if (scope === "org") return "-";
  return s.model;
}

function scopedLimits(limits: RequestLimits): [LimitScope, RateLimits | null][] {
  return [
    ["key", limits.key],
    ["org", limits.org],
    ["model", limits.model],
  ];
}

export function rateChecks(limits: RequestLimits, s: RequestSubject): RateCheck[] {
  const checks: RateCheck[] = [];
  for (const [scope, rl] of scopedLimits(limits)) {
    const subject = scopeSubject(scope, s);
    if (!rl || subject === null) continue;
    for (const measure of ["rpm", "rpd", "tpm"] as const) {
      const limit = rl[measure];
      if (limit === null) continue;
      checks.push({
        scope,
        measure,
        key: `${tag(s.orgId)}:rl:${scope}:${subject}:${measure}`,
        limit,
        windowMs: WINDOW_MS[measure],
      });
    }
  }
  return checks;
}

export function leaseChecks(limits: RequestLimits, s: RequestSubject): LeaseCheck[] {
  const checks: LeaseCheck[] = [];
  for (const [scope, rl] of scopedLimits(limits)) {
    const subject = scopeSubject(scope, s);
    if (!rl || rl.concurrent === null || subject === null) continue;
    checks.push({ scope, key: `${tag(s.orgId)}:cc:${scope}:${subject}`, limit: rl.concurrent });
  }
  return checks;
}

/** The subject a budget counts for this request, or null when the budget does not apply to it. */
function budgetSubject(budget: BudgetRule, s: RequestSubject): string | null {
  if (budget.scope === "org") return "-";
  if (budget.scope === "key") return s.keyId !== null && budget.keyId === s.keyId ? s.keyId : null;
  return s.endUser ? s.endUser : null;
}

export function budgetChecks(limits: RequestLimits, s: RequestSubject, now: number): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  for (const budget of limits.budgets) {
    const subject = budgetSubject(budget, s);
    if (subject === null) continue;
    const { start, end } = periodBounds(budget.period, now);
    checks.push({
      budget,
      key: `${tag(s.orgId)}:b:${budget.id}:${subject}:${start}`,
      periodStart: start,
      periodEnd: end,
      expiresAt: end === null ? null : end + BUDGET_GRACE_MS,
    });
  }
  return checks;
}

/** [percent, micro-dollars at which it fires], exact for any amount. */
export function thresholdMicros(budget: BudgetRule): [number, number][] {
  const amount = BigInt(budget.amountMicros);
  return budget.alertThresholds.map((pct) => [pct, Number((amount * BigInt(pct) + 99n) / 100n)]);
}
