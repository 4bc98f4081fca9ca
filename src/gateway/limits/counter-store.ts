/**
 * The counter store behind the limits engine: one atomic `admit` and one `settle` per request
 * (one Redis round trip each), implemented in process (`createMemoryCounterStore`) and over Redis
 * (`createRedisCounterStore`, atomic Lua scripts). Plans carry only store keys and numbers: what
 * the counters mean (which key, which budget) stays in the engine.
 *
 * Algorithms (identical in both stores):
 * - Rates (RPM/TPM/RPD): GCRA. A counter is its theoretical arrival time `tat`; a request of
 *   `cost` units moves it by `cost × window / limit`; it is admitted when the new `tat` is at
 *   most one window ahead of now (burst = the full limit, refilled continuously).
 * - Concurrency: a set of leases (request id → expiry); expired leases do not count.
 * - Budgets: `spent` and `reserved` micro-dollars per budget and period, plus each live
 *   reservation (request id → amount, expiry); expired reservations are given back.
 */

export interface RateCounterPlan {
  key: string;
  /** Units per window (a positive integer). */
  limit: number;
  windowMs: number;
  /** Units this request takes: 1 for requests, the token estimate for TPM. */
  cost: number;
}

export interface LeasePlan {
  key: string;
  limit: number;
}

export interface BudgetCounterPlan {
  key: string;
  amountMicros: number;
  hard: boolean;
  /** Micro-dollars to hold until the request settles (0 when nothing needs holding). */
  reserveMicros: number;
  /** When the counter may be dropped (ms since the epoch: period end plus a grace); null = total. */
  expiresAt: number | null;
  /**
   * Spent to create the counter with if it does not exist yet (set-if-absent: when another
   * instance created it meanwhile, theirs stands). Omitted: see `AdmitPlan.reportMissingBudgets`.
   */
  initialSpentMicros?: number;
}

export interface AdmitPlan {
  /** Unique per request: the lease and reservation id. */
  id: string;
  rates: readonly RateCounterPlan[];
  leases: readonly LeasePlan[];
  leaseTtlMs: number;
  budgets: readonly BudgetCounterPlan[];
  reservationTtlMs: number;
  /**
   * True: a budget counter that does not exist and has no `initialSpentMicros` makes `admit`
   * answer `missing_budgets` (nothing taken) so the engine can load its spend from the database.
   * False: such counters start at 0.
   */
  reportMissingBudgets: boolean;
}

export interface RateState {
  /** Whole units available now (after this request when admitted). */
  remaining: number;
  /** Milliseconds until the counter is full again. */
  resetMs: number;
}

export interface BudgetState {
  spentMicros: number;
  reservedMicros: number;
}

export type Refusal =
  /** `retryAfterMs` null: the request alone exceeds the limit (it can never pass). */
  | { kind: "rate"; index: number; retryAfterMs: number | null }
  | { kind: "lease"; index: number; inFlight: number }
  | ({ kind: "budget"; index: number } & BudgetState);

export type AdmitResult =
  | { outcome: "admitted"; rates: RateState[]; budgets: BudgetState[] }
  | { outcome: "missing_budgets"; missing: number[] }
  /** `rates`: every rate counter's state, untouched (nothing was taken). */
  | { outcome: "refused"; refusal: Refusal; rates: RateState[] };

export interface RateSettlePlan {
  key: string;
  limit: number;
  windowMs: number;
  /** Units to take (positive) or give back (negative): real usage minus what admission took. */
  delta: number;
}

export interface BudgetSettlePlan {
  key: string;
  /** Real cost; replaces this request's reservation. */
  actualMicros: number;
  expiresAt: number | null;
  /** Alert thresholds as [percent, micro-dollars at which it fires]. */
  thresholds: readonly (readonly [number, number])[];
}

export interface SettlePlan {
  id: string;
  rates: readonly RateSettlePlan[];
  leaseKeys: readonly string[];
  budgets: readonly BudgetSettlePlan[];
}

export interface CrossedThreshold {
  /** Index into `SettlePlan.budgets`. */
  index: number;
  thresholdPct: number;
  spentMicros: number;
}

export interface SettleResult {
  /** Thresholds this settle crossed first (each fires once per budget counter, across instances). */
  alerts: CrossedThreshold[];
}

export interface SnapshotQuery {
  rates: readonly Omit<RateCounterPlan, "cost">[];
  leaseKeys: readonly string[];
  budgetKeys: readonly string[];
}

export interface SnapshotResult {
  rates: RateState[];
  /** Live leases per lease key. */
  inFlight: number[];
  /** null: the counter does not exist (nothing counted in this store for the period yet). */
  budgets: (BudgetState | null)[];
}

export interface CounterStore {
  admit(plan: AdmitPlan): Promise<AdmitResult>;
  settle(plan: SettlePlan): Promise<SettleResult>;
  /** Read-only view for the console. */
  snapshot(query: SnapshotQuery): Promise<SnapshotResult>;
  /** Resolves when the store answers (readiness); rejects otherwise. */
  ping(): Promise<void>;
}

/** Where budget counters get their starting spend: what the request logs already recorded. */
export interface BudgetSpendSource {
  /**
   * Micro-dollars recorded for the scope since `since` (org-wide; one key's; one end user's).
   * Unpriced requests count 0.
   */
  spentSince(query: {
    orgId: string;
    scope: "org" | "key" | "user";
    keyId: string | null;
    endUser: string | null;
    since: Date;
  }): Promise<number>;
}
