import type { GatewayError } from "../gateway-error";
import type { Clock, GatewayLogger, MaybePromise } from "../ports";
import type {
  AdmitPlan,
  AdmitResult,
  BudgetCounterPlan,
  BudgetSpendSource,
  CounterStore,
  SettlePlan,
} from "./counter-store";
import {
  budgetChecks,
  leaseChecks,
  rateChecks,
  thresholdMicros,
  type BudgetCheck,
  type LeaseCheck,
  type RateCheck,
  type RequestSubject,
} from "./limit-checks";
import { snapshotLimits, type LimitsSnapshot, type SnapshotRequest } from "./limits-snapshot";
import { rateLimitHeaders } from "./rate-limit-headers";
import {
  budgetError,
  concurrencyError,
  limitsMisconfiguredError,
  limitsUnavailableError,
  rateLimitError,
  unpricedError,
} from "./refusal-errors";
import { requestLimitsSchema } from "./schemas";
import type { BudgetRule, RequestLimits } from "./types";

/**
 * The limits engine: per request, one atomic admission over every counter the request touches
 * (rate limits of its key, org and model, concurrency leases, budget reservations; all or
 * nothing), and one settle after the call that reconciles with what the request really used.
 */

export interface BudgetAlert {
  budget: BudgetRule;
  orgId: string;
  keyId: string | null;
  endUser: string | null;
  thresholdPct: number;
  spentMicros: number;
  amountMicros: number;
  periodStart: Date;
}

export interface LimitsEngineOptions {
  store: CounterStore;
  /** Loads a budget period's spend from the request logs when its counter does not exist yet. */
  spendSource?: BudgetSpendSource;
  clock?: Clock;
  /** Called once per budget, period and threshold crossed (across instances on Redis). */
  onBudgetAlert?: (alert: BudgetAlert) => MaybePromise<void>;
  logger: GatewayLogger;
  /** A concurrency slot of a request that never settles (crashed instance) frees itself after this. */
  leaseTtlMs?: number;
  /** A budget reservation of a request that never settles is given back after this. */
  reservationTtlMs?: number;
  /**
   * When the store is unreachable: false (default) refuses requests with 503 `limits_unavailable`;
   * true lets them through unlimited (logged).
   */
  failOpen?: boolean;
}

export interface AdmitRequest {
  orgId: string;
  /** The API key; null skips key limits and key budgets. */
  keyId: string | null;
  /** The requested model (or route name): model limits are per org and this name. */
  model: string;
  /** The request's `user` field, for per-end-user budgets. */
  endUser: string | null;
  limits: RequestLimits;
  /** Prompt estimate + maximum output tokens; called only when a TPM limit applies. */
  estimateTokens: () => MaybePromise<number>;
  /**
   * The most the request can cost (prompt estimate × input price + maximum output × output
   * price); null when the model has no price. Evaluated only when a budget applies.
   */
  maxCostMicros: number | null | (() => MaybePromise<number | null>);
}

export interface SettleUsage {
  /** Real total tokens (prompt + completion); null when the provider reported none. */
  tokens: number | null;
  /** Real cost; null when unpriced or unknown (counts 0). */
  costMicros: number | null;
}

export interface Admission {
  /** `x-ratelimit-*` headers for the response (empty when no RPM/TPM limit applies). */
  readonly headers: Readonly<Record<string, string>>;
  /** Tokens TPM admission took (null when no TPM limit applied). */
  readonly estimatedTokens: number | null;
  /** Micro-dollars reserved against budgets (0 when none). */
  readonly reservedMicros: number;
  /** Once, after the call (success or failure). Idempotent; never throws; never blocks. */
  settle(usage: SettleUsage): void;
}

export interface LimitsEngine {
  /** Admits the request or throws a GatewayError (429 limits, 503 store unreachable). */
  admit(request: AdmitRequest): Promise<Admission>;
  /** Current consumption for the console (read-only). */
  snapshot(request: SnapshotRequest): Promise<LimitsSnapshot>;
  /** Store readiness, for `/readyz`. */
  ping(): Promise<void>;
  /** Resolves when every settle started so far has reached the store (tests, shutdown). */
  drain(): Promise<void>;
}

export const NOOP_ADMISSION: Admission = Object.freeze({
  headers: Object.freeze({}),
  estimatedTokens: null,
  reservedMicros: 0,
  settle() {},
});

const DEFAULT_LEASE_TTL_MS = 10 * 60_000;
const DEFAULT_RESERVATION_TTL_MS = 15 * 60_000;
/** A store that keeps reporting missing counters after they were loaded is not behaving. */
const MAX_ADMIT_ATTEMPTS = 3;

type LimitsState = "empty" | "active" | "invalid";

function hasRateLimits(limits: RequestLimits): boolean {
  for (const rl of [limits.key, limits.org, limits.model]) {
    if (rl && (rl.rpm !== null || rl.tpm !== null || rl.rpd !== null || rl.concurrent !== null))
      return true;
  }
  return false;
}

function nonNegativeInt(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.ceil(v) : null;
}

export function createLimitsEngine(options: LimitsEngineOptions): LimitsEngine {
  const { store, spendSource, logger } = options;
  const clock = options.clock ?? { now: () => Date.now() };
  const leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const reservationTtlMs = options.reservationTtlMs ?? DEFAULT_RESERVATION_TTL_MS;
  // The directory hands out cached RequestLimits objects: validate each object once.
  const states = new WeakMap<RequestLimits, LimitsState>();
  // One database query per missing counter, however many requests are waiting for it.
  const loadingSpend = new Map<string, Promise<number>>();
  const pendingSettles = new Set<Promise<void>>();

  function stateOf(limits: RequestLimits): LimitsState {
    let state = states.get(limits);
    if (state === undefined) {
      if (!requestLimitsSchema.safeParse(limits).success) state = "invalid";
      else state = hasRateLimits(limits) || limits.budgets.length > 0 ? "active" : "empty";
      states.set(limits, state);
    }
    return state;
  }

  function checkedLimits(limits: RequestLimits): boolean {
    const state = stateOf(limits);
    if (state === "invalid") {
      logger.error("limits: refusing to enforce invalid limits", {
        issues: requestLimitsSchema.safeParse(limits).error?.issues.slice(0, 3),
      });
      throw limitsMisconfiguredError();
    }
    return state === "active";
  }

  function loadSpend(check: BudgetCheck, s: RequestSubject): Promise<number> {
    let pending = loadingSpend.get(check.key);
    if (!pending) {
      const source = spendSource!;
      pending = source
        .spentSince({
          orgId: s.orgId,
          scope: check.budget.scope,
          keyId: check.budget.scope === "key" ? s.keyId : null,
          endUser: check.budget.scope === "user" ? s.endUser : null,
          since: new Date(check.periodStart),
        })
        .then((v) => nonNegativeInt(v) ?? 0)
        .finally(() => loadingSpend.delete(check.key));
      loadingSpend.set(check.key, pending);
    }
    return pending;
  }

  async function runAdmit(
    plan: AdmitPlan,
    budgets: readonly BudgetCheck[],
    s: RequestSubject,
  ): Promise<AdmitResult> {
    let current = plan;
    for (let attempt = 0; attempt < MAX_ADMIT_ATTEMPTS; attempt++) {
      const result = await store.admit(current);
      if (result.outcome !== "missing_budgets") return result;
      const loaded = new Map<number, number>();
      await Promise.all(
        result.missing.map(async (i) => loaded.set(i, await loadSpend(budgets[i]!, s))),
      );
      current = {
        ...current,
        budgets: current.budgets.map((b, i): BudgetCounterPlan => {
          const spent = loaded.get(i);
          return spent === undefined ? b : { ...b, initialSpentMicros: spent };
        }),
      };
    }
    throw new Error("limits store kept reporting budget counters missing after they were loaded");
  }

  function refusalError(
    result: AdmitResult & { outcome: "refused" },
    rates: readonly RateCheck[],
    leases: readonly LeaseCheck[],
    budgets: readonly BudgetCheck[],
    tokens: number,
    reserve: number,
    s: RequestSubject,
    now: number,
  ): GatewayError {
    const headers = rateLimitHeaders(rates, result.rates);
    const r = result.refusal;
    if (r.kind === "rate") {
      const check = rates[r.index]!;
      return rateLimitError(
        check,
        check.measure === "tpm" ? tokens : 1,
        r.retryAfterMs,
        s,
        headers,
      );
    }
    if (r.kind === "lease") return concurrencyError(leases[r.index]!, s, headers);
    return budgetError(
      budgets[r.index]!,
      r.spentMicros,
      r.reservedMicros,
      reserve,
      s,
      now,
      headers,
    );
  }

  function fireAlerts(
    alerts: { index: number; thresholdPct: number; spentMicros: number }[],
    budgets: readonly BudgetCheck[],
    s: RequestSubject,
  ): void {
    const sink = options.onBudgetAlert;
    if (!sink) return;
    for (const a of alerts) {
      const check = budgets[a.index]!;
      const alert: BudgetAlert = {
        budget: check.budget,
        orgId: s.orgId,
        keyId: s.keyId,
        endUser: s.endUser,
        thresholdPct: a.thresholdPct,
        spentMicros: a.spentMicros,
        amountMicros: check.budget.amountMicros,
        periodStart: new Date(check.periodStart),
      };
      try {
        Promise.resolve(sink(alert)).catch((err: unknown) =>
          logger.error("limits: budget alert handler failed", {
            budgetId: check.budget.id,
            error: String(err),
          }),
        );
      } catch (err) {
        logger.error("limits: budget alert handler failed", {
          budgetId: check.budget.id,
          error: String(err),
        });
      }
    }
  }

  function track(work: Promise<void>): void {
    pendingSettles.add(work);
    void work.finally(() => pendingSettles.delete(work));
  }

  function makeAdmission(
    id: string,
    headers: Record<string, string>,
    rates: readonly RateCheck[],
    leases: readonly LeaseCheck[],
    budgets: readonly BudgetCheck[],
    tokens: number | null,
    reserve: number,
    s: RequestSubject,
  ): Admission {
    let settled = false;
    return {
      headers,
      estimatedTokens: tokens,
      reservedMicros: budgets.length > 0 ? reserve : 0,
      settle(usage) {
        if (settled) return;
        settled = true;
        try {
          const realTokens = nonNegativeInt(usage?.tokens);
          const delta = realTokens === null || tokens === null ? 0 : realTokens - tokens;
          const cost = nonNegativeInt(usage?.costMicros) ?? 0;
          const plan: SettlePlan = {
            id,
            rates:
              delta === 0
                ? []
                : rates
                    .filter((r) => r.measure === "tpm")
                    .map((r) => ({ key: r.key, limit: r.limit, windowMs: r.windowMs, delta })),
            leaseKeys: leases.map((l) => l.key),
            budgets:
              reserve === 0 && cost === 0
                ? []
                : budgets.map((b) => ({
                    key: b.key,
                    actualMicros: cost,
                    expiresAt: b.expiresAt,
                    thresholds: thresholdMicros(b.budget),
                  })),
          };
          if (plan.rates.length === 0 && plan.leaseKeys.length === 0 && plan.budgets.length === 0)
            return;
          track(
            store.settle(plan).then(
              (result) => fireAlerts(result.alerts, budgets, s),
              (err: unknown) =>
                logger.error("limits: settle failed", { orgId: s.orgId, error: String(err) }),
            ),
          );
        } catch (err) {
          logger.error("limits: settle failed", { orgId: s.orgId, error: String(err) });
        }
      },
    };
  }

  async function admit(request: AdmitRequest): Promise<Admission> {
    if (!checkedLimits(request.limits)) return NOOP_ADMISSION;
    const now = clock.now();
    const s: RequestSubject = {
      orgId: request.orgId,
      keyId: request.keyId,
      model: request.model,
      endUser: request.endUser,
    };
    const rates = rateChecks(request.limits, s);
    const leases = leaseChecks(request.limits, s);
    const budgets = budgetChecks(request.limits, s, now);
    if (rates.length === 0 && leases.length === 0 && budgets.length === 0) return NOOP_ADMISSION;

    const tokens = rates.some((r) => r.measure === "tpm")
      ? (nonNegativeInt(await request.estimateTokens()) ?? 0)
      : null;
    let reserve = 0;
    if (budgets.length > 0) {
      const raw =
        typeof request.maxCostMicros === "function"
          ? await request.maxCostMicros()
          : request.maxCostMicros;
      const cost = nonNegativeInt(raw);
      if (cost === null && !request.limits.allowUnpriced) {
        const hard = budgets.find((b) => b.budget.hard);
        if (hard) throw unpricedError(hard, s);
      }
      reserve = cost ?? 0;
    }

    const id = globalThis.crypto.randomUUID();
    const plan: AdmitPlan = {
      id,
      rates: rates.map((r) => ({
        key: r.key,
        limit: r.limit,
        windowMs: r.windowMs,
        cost: r.measure === "tpm" ? tokens! : 1,
      })),
      leases: leases.map((l) => ({ key: l.key, limit: l.limit })),
      leaseTtlMs,
      budgets: budgets.map((b) => ({
        key: b.key,
        amountMicros: b.budget.amountMicros,
        hard: b.budget.hard,
        reserveMicros: reserve,
        expiresAt: b.expiresAt,
      })),
      reservationTtlMs,
      reportMissingBudgets: spendSource !== undefined,
    };

    let result: AdmitResult;
    try {
      result = await runAdmit(plan, budgets, s);
    } catch (err) {
      logger.error("limits: store unavailable", { orgId: s.orgId, error: String(err) });
      if (options.failOpen) return NOOP_ADMISSION;
      throw limitsUnavailableError();
    }
    if (result.outcome === "refused")
      throw refusalError(result, rates, leases, budgets, tokens ?? 0, reserve, s, now);
    if (result.outcome !== "admitted") throw limitsUnavailableError();
    return makeAdmission(
      id,
      rateLimitHeaders(rates, result.rates),
      rates,
      leases,
      budgets,
      tokens,
      reserve,
      s,
    );
  }

  return {
    admit,
    async snapshot(request) {
      checkedLimits(request.limits);
      return snapshotLimits(request, { store, spendSource, now: clock.now() });
    },
    ping: () => store.ping(),
    async drain() {
      while (pendingSettles.size > 0) await Promise.allSettled([...pendingSettles]);
    },
  };
}
