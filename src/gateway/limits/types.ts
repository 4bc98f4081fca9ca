import type { MaybePromise } from "../ports";

/**
 * What limits a request: rate limits per key, org and model, and budgets. The core reads them
 * through a `LimitsDirectory` (implemented over the database, cached) and enforces them with the
 * limits engine over a counter store (in process, or Redis so every instance shares one count).
 */

/** Rate limits of one scope; null means no limit on that measure. */
export interface RateLimits {
  /** Requests per minute. */
  rpm: number | null;
  /** Tokens per minute: prompt estimate + maximum output at admission, reconciled with usage after. */
  tpm: number | null;
  /** Requests per day. */
  rpd: number | null;
  /** Requests in flight at once. */
  concurrent: number | null;
}

export const BUDGET_PERIODS = ["daily", "weekly", "monthly", "total"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export const BUDGET_SCOPES = ["org", "key", "user"] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

export interface BudgetRule {
  /** Stable id (the budget row's id): counters are keyed by it and the period. */
  id: string;
  /**
   * `org`: all of the org's traffic; `key`: one API key's; `user`: each end user (the request's
   * `user` field) separately, under the same amount (requests without `user` are not counted).
   */
  scope: BudgetScope;
  /** The key a `key` budget belongs to (null otherwise). */
  keyId: string | null;
  /** Amount in USD micro-dollars (integer). */
  amountMicros: number;
  period: BudgetPeriod;
  /** Hard: requests that could exceed it are refused (429 budget_exceeded). Soft: alerts only. */
  hard: boolean;
  /** Percentages of the amount at which an alert fires once per period, e.g. [50, 80, 100]. */
  alertThresholds: readonly number[];
}

/** Everything that limits one request, resolved for (org, key, requested model). */
export interface RequestLimits {
  /** The key's own limits, or those of the tier it is assigned to; null = none. */
  key: RateLimits | null;
  org: RateLimits | null;
  /** The org's limits for the requested model (or route name); null = none. */
  model: RateLimits | null;
  /** Budgets that apply: the org's, this key's, and per-end-user ones. */
  budgets: readonly BudgetRule[];
  /** Whether an unpriced model may be called while a hard budget applies (org setting). */
  allowUnpriced: boolean;
}

export interface LimitsDirectory {
  forRequest(orgId: string, keyId: string, model: string): MaybePromise<RequestLimits>;
}

/** No limit at all: what a request gets when nothing is configured. */
export const NO_LIMITS: RequestLimits = Object.freeze({
  key: null,
  org: null,
  model: null,
  budgets: Object.freeze([]) as readonly BudgetRule[],
  allowUnpriced: true,
});
