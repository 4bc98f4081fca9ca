import type { BudgetSpendSource, CounterStore } from "./counter-store";
import {
  budgetChecks,
  leaseChecks,
  rateChecks,
  type LimitScope,
  type RateMeasure,
} from "./limit-checks";
import type { BudgetRule, RequestLimits } from "./types";

/**
 * What a "Limits & budgets" page shows: for a key (and optionally a model and an end user), each
 * configured rate limit with what is left and when it is full again, concurrency in use, and each
 * budget's spent, reserved and remaining amount for the current period. Read-only: counters that
 * do not exist yet are reported from the request logs without creating them.
 */

export interface SnapshotRequest {
  orgId: string;
  keyId: string | null;
  /** Model limits are included only when a model (or route name) is given. */
  model?: string | null;
  /** Per-end-user budgets are included only when an end user is given. */
  endUser?: string | null;
  limits: RequestLimits;
}

export interface RateSnapshot {
  scope: LimitScope;
  measure: RateMeasure;
  limit: number;
  remaining: number;
  /** Milliseconds until the limit is fully available again (0 = unused). */
  resetMs: number;
}

export interface ConcurrencySnapshot {
  scope: LimitScope;
  limit: number;
  inFlight: number;
}

export interface BudgetSnapshot {
  budget: BudgetRule;
  endUser: string | null;
  periodStart: Date;
  /** null for `total` budgets. */
  periodEnd: Date | null;
  spentMicros: number;
  reservedMicros: number;
  /** amount − spent − reserved, at least 0. */
  availableMicros: number;
  /** `counter`: live counter; `request_logs`: no counter yet this period, summed from the logs; `none`: neither. */
  source: "counter" | "request_logs" | "none";
}

export interface LimitsSnapshot {
  rates: RateSnapshot[];
  concurrency: ConcurrencySnapshot[];
  budgets: BudgetSnapshot[];
}

export async function snapshotLimits(
  request: SnapshotRequest,
  deps: { store: CounterStore; spendSource: BudgetSpendSource | undefined; now: number },
): Promise<LimitsSnapshot> {
  const model = request.model ?? null;
  const limits: RequestLimits =
    model === null ? { ...request.limits, model: null } : request.limits;
  const s = {
    orgId: request.orgId,
    keyId: request.keyId,
    model: model ?? "",
    endUser: request.endUser ?? null,
  };
  const rates = rateChecks(limits, s);
  const leases = leaseChecks(limits, s);
  const budgets = budgetChecks(limits, s, deps.now);
  const result = await deps.store.snapshot({
    rates: rates.map((r) => ({ key: r.key, limit: r.limit, windowMs: r.windowMs })),
    leaseKeys: leases.map((l) => l.key),
    budgetKeys: budgets.map((b) => b.key),
  });

  const budgetSnapshots = await Promise.all(
    budgets.map(async (b, i): Promise<BudgetSnapshot> => {
      let state = result.budgets[i] ?? null;
      let source: BudgetSnapshot["source"] = "counter";
      if (state === null) {
        source = deps.spendSource ? "request_logs" : "none";
        const spent = deps.spendSource
          ? await deps.spendSource.spentSince({
              orgId: s.orgId,
              scope: b.budget.scope,
              keyId: b.budget.scope === "key" ? s.keyId : null,
              endUser: b.budget.scope === "user" ? s.endUser : null,
              since: new Date(b.periodStart),
            })
          : 0;
        state = { spentMicros: spent, reservedMicros: 0 };
      }
      return {
        budget: b.budget,
        endUser: b.budget.scope === "user" ? s.endUser : null,
        periodStart: new Date(b.periodStart),
        periodEnd: b.periodEnd === null ? null : new Date(b.periodEnd),
        spentMicros: state.spentMicros,
        reservedMicros: state.reservedMicros,
        availableMicros: Math.max(
          0,
          b.budget.amountMicros - state.spentMicros - state.reservedMicros,
        ),
        source,
      };
    }),
  );

  return {
    rates: rates.map((r, i) => ({
      scope: r.scope,
      measure: r.measure,
      limit: r.limit,
      remaining: result.rates[i]?.remaining ?? r.limit,
      resetMs: Math.ceil(result.rates[i]?.resetMs ?? 0),
    })),
    concurrency: leases.map((l, i) => ({
      scope: l.scope,
      limit: l.limit,
      inFlight: result.inFlight[i] ?? 0,
    })),
    budgets: budgetSnapshots,
  };
}
