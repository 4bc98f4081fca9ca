import type { Clock } from "../ports";
import type {
  AdmitPlan,
  AdmitResult,
  BudgetState,
  CounterStore,
  CrossedThreshold,
  RateState,
  Refusal,
  SettlePlan,
  SettleResult,
  SnapshotQuery,
  SnapshotResult,
} from "./counter-store";
import { gcraAdjust, gcraPeek, gcraTake } from "./gcra";

/**
 * Counters in this process: exact for one instance (every step of `admit` runs synchronously, so
 * it is atomic with respect to other requests). Several instances need the Redis store.
 */

interface BudgetCounter {
  spent: number;
  reserved: number;
  /** Request id → amount and expiry. */
  reservations: Map<string, { amount: number; expiresAt: number }>;
  expiresAt: number | null;
  alerted: Set<number>;
  /** Last admit, settle or snapshot that read it: idle `total` counters are dropped by this. */
  usedAt: number;
}

/** Expired counters are dropped at most this often (a sweep is O(counters)). */
const SWEEP_EVERY_MS = 60_000;

/**
 * A `total` budget counter (no period end) idle this long is dropped, like the Redis store's key
 * TTL: its next request reloads the spend from the database (`BudgetSpendSource`), so a deleted
 * budget or a one-off end user does not keep a counter for the life of the process.
 */
export const TOTAL_COUNTER_IDLE_MS = 30 * 86_400_000;

export interface MemoryCounterStoreOptions {
  clock?: Clock;
}

export function createMemoryCounterStore(options: MemoryCounterStoreOptions = {}): CounterStore {
  const clock = options.clock ?? { now: () => Date.now() };
  const rates = new Map<string, number>();
  const leases = new Map<string, Map<string, number>>();
  const budgets = new Map<string, BudgetCounter>();
  let lastSweep = clock.now();

  function sweep(now: number): void {
    if (now - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = now;
    for (const [key, tat] of rates) if (tat <= now) rates.delete(key);
    for (const [key, set] of leases) {
      for (const [id, expiresAt] of set) if (expiresAt <= now) set.delete(id);
      if (set.size === 0) leases.delete(key);
    }
    for (const [key, b] of budgets) {
      if (b.expiresAt !== null && b.expiresAt <= now) budgets.delete(key);
      else if (
        b.expiresAt === null &&
        now - b.usedAt >= TOTAL_COUNTER_IDLE_MS &&
        [...b.reservations.values()].every((r) => r.expiresAt <= now)
      ) {
        budgets.delete(key);
      }
    }
  }

  function liveLeases(key: string, now: number): Map<string, number> | undefined {
    const set = leases.get(key);
    if (set) for (const [id, expiresAt] of set) if (expiresAt <= now) set.delete(id);
    return set;
  }

  function liveBudget(key: string, now: number): BudgetCounter | undefined {
    const b = budgets.get(key);
    if (!b) return undefined;
    if (b.expiresAt !== null && b.expiresAt <= now) {
      budgets.delete(key);
      return undefined;
    }
    b.usedAt = now;
    for (const [id, r] of b.reservations) {
      if (r.expiresAt > now) continue;
      b.reservations.delete(id);
      b.reserved -= r.amount;
    }
    return b;
  }

  function admit(plan: AdmitPlan): AdmitResult {
    const now = clock.now();
    sweep(now);

    const missing: number[] = [];
    plan.budgets.forEach((b, i) => {
      if (
        !liveBudget(b.key, now) &&
        b.initialSpentMicros === undefined &&
        plan.reportMissingBudgets
      ) {
        missing.push(i);
      }
    });
    if (missing.length > 0) return { outcome: "missing_budgets", missing };

    const rateStates: RateState[] = [];
    const newTats: number[] = [];
    let rateRefusal: Refusal | null = null;
    plan.rates.forEach((r, i) => {
      const take = gcraTake(rates.get(r.key), now, r.limit, r.windowMs, r.cost);
      if (take.ok) {
        newTats[i] = take.tat;
        rateStates[i] = take.state;
        return;
      }
      rateStates[i] = gcraPeek(rates.get(r.key), now, r.limit, r.windowMs);
      rateRefusal = pickLonger(rateRefusal, {
        kind: "rate",
        index: i,
        retryAfterMs: take.retryAfterMs,
      });
    });

    let leaseRefusal: Refusal | null = null;
    plan.leases.forEach((l, i) => {
      const inFlight = liveLeases(l.key, now)?.size ?? 0;
      if (!leaseRefusal && inFlight >= l.limit)
        leaseRefusal = { kind: "lease", index: i, inFlight };
    });

    let budgetRefusal: Refusal | null = null;
    const counters = plan.budgets.map((b, i) => {
      let counter = liveBudget(b.key, now);
      if (!counter) {
        counter = {
          spent: b.initialSpentMicros ?? 0,
          reserved: 0,
          reservations: new Map(),
          expiresAt: b.expiresAt,
          alerted: new Set(),
          usedAt: now,
        };
        budgets.set(b.key, counter);
      }
      const held = counter.spent + counter.reserved;
      if (
        !budgetRefusal &&
        b.hard &&
        (held + b.reserveMicros > b.amountMicros || held >= b.amountMicros)
      ) {
        budgetRefusal = {
          kind: "budget",
          index: i,
          spentMicros: counter.spent,
          reservedMicros: counter.reserved,
        };
      }
      return counter;
    });

    const refusal = budgetRefusal ?? rateRefusal ?? leaseRefusal;
    if (refusal) {
      const peeks = plan.rates.map((r) => gcraPeek(rates.get(r.key), now, r.limit, r.windowMs));
      return { outcome: "refused", refusal, rates: peeks };
    }

    plan.rates.forEach((r, i) => rates.set(r.key, newTats[i]!));
    for (const l of plan.leases) {
      let set = leases.get(l.key);
      if (!set) leases.set(l.key, (set = new Map()));
      set.set(plan.id, now + plan.leaseTtlMs);
    }
    const budgetStates: BudgetState[] = plan.budgets.map((b, i) => {
      const counter = counters[i]!;
      if (b.reserveMicros > 0) {
        counter.reservations.set(plan.id, {
          amount: b.reserveMicros,
          expiresAt: now + plan.reservationTtlMs,
        });
        counter.reserved += b.reserveMicros;
      }
      return { spentMicros: counter.spent, reservedMicros: counter.reserved };
    });
    return { outcome: "admitted", rates: rateStates, budgets: budgetStates };
  }

  function settle(plan: SettlePlan): SettleResult {
    const now = clock.now();
    for (const r of plan.rates) {
      const next = gcraAdjust(rates.get(r.key), now, r.limit, r.windowMs, r.delta);
      if (next === null) rates.delete(r.key);
      else rates.set(r.key, next);
    }
    for (const key of plan.leaseKeys) leases.get(key)?.delete(plan.id);
    const alerts: CrossedThreshold[] = [];
    plan.budgets.forEach((b, index) => {
      const counter = liveBudget(b.key, now);
      // No counter: the period's spend is (re)loaded from the request logs, which include this request.
      if (!counter) return;
      const reservation = counter.reservations.get(plan.id);
      if (reservation) {
        counter.reservations.delete(plan.id);
        counter.reserved -= reservation.amount;
      }
      const before = counter.spent;
      counter.spent += b.actualMicros;
      for (const [pct, micros] of b.thresholds) {
        if (before < micros && counter.spent >= micros && !counter.alerted.has(pct)) {
          counter.alerted.add(pct);
          alerts.push({ index, thresholdPct: pct, spentMicros: counter.spent });
        }
      }
    });
    return { alerts };
  }

  function snapshot(query: SnapshotQuery): SnapshotResult {
    const now = clock.now();
    return {
      rates: query.rates.map((r) => gcraPeek(rates.get(r.key), now, r.limit, r.windowMs)),
      inFlight: query.leaseKeys.map((key) => liveLeases(key, now)?.size ?? 0),
      budgets: query.budgetKeys.map((key) => {
        const b = liveBudget(key, now);
        return b ? { spentMicros: b.spent, reservedMicros: b.reserved } : null;
      }),
    };
  }

  return {
    admit: (plan) => Promise.resolve(admit(plan)),
    settle: (plan) => Promise.resolve(settle(plan)),
    snapshot: (query) => Promise.resolve(snapshot(query)),
    ping: () => Promise.resolve(),
  };
}

/** Of two rate refusals, the one whose retry is later (never-passing ones first). */
function pickLonger(current: Refusal | null, next: Refusal & { kind: "rate" }): Refusal {
  if (!current || current.kind !== "rate") return next;
  if (current.retryAfterMs === null) return current;
  if (next.retryAfterMs === null || next.retryAfterMs > current.retryAfterMs) return next;
  return current;
}
