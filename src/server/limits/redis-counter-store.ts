import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type {
  AdmitPlan,
  AdmitResult,
  BudgetState,
  CounterStore,
  RateState,
  SettlePlan,
  SettleResult,
  SnapshotQuery,
  SnapshotResult,
} from "~/gateway/limits/counter-store";
import { ADMIT_SCRIPT, SETTLE_SCRIPT, SNAPSHOT_SCRIPT } from "./redis-limit-scripts";

/**
 * Counters in Redis, shared by every gateway instance: one script call (one round trip) per admit
 * and per settle. Scripts run by EVALSHA and are sent in full only when the server does not know
 * them yet (first call, or after a restart / SCRIPT FLUSH). Every call is bounded by `timeoutMs`:
 * an unreachable Redis surfaces as an error the engine turns into 503 `limits_unavailable`.
 */

export interface RedisCounterStoreOptions {
  /** Prepended to every key (default `switchyard:`), so the keyspace can be shared. */
  prefix?: string;
  /** Milliseconds a call may take before it fails (default 1000). */
  timeoutMs?: number;
}

type RedisScripting = Pick<Redis, "evalsha" | "eval" | "ping">;

class LuaScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(redis: RedisScripting, keys: readonly string[], arg: string): Promise<string> {
    try {
      return String(await redis.evalsha(this.sha, keys.length, ...keys, arg));
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith("NOSCRIPT")) throw err;
      return String(await redis.eval(this.source, keys.length, ...keys, arg));
    }
  }
}

const admitScript = new LuaScript(ADMIT_SCRIPT);
const settleScript = new LuaScript(SETTLE_SCRIPT);
const snapshotScript = new LuaScript(SNAPSHOT_SCRIPT);

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis ${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** cjson encodes an empty Lua table as `{}`. */
function list<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

function rateStates(v: unknown): RateState[] {
  return list<[number, number]>(v).map(([remaining, resetMs]) => ({ remaining, resetMs }));
}

function budgetState(v: unknown): BudgetState | null {
  if (!Array.isArray(v)) return null;
  return { spentMicros: Number(v[0] ?? 0), reservedMicros: Number(v[1] ?? 0) };
}

interface AdmitReply {
  o: "a" | "m" | "r";
  m?: unknown;
  r?: unknown;
  b?: unknown;
  f?: [string, number, ...(string | number)[]];
}

function parseAdmit(raw: string): AdmitResult {
  const reply = JSON.parse(raw) as AdmitReply;
  if (reply.o === "m") return { outcome: "missing_budgets", missing: list<number>(reply.m) };
  if (reply.o === "a") {
    return {
      outcome: "admitted",
      rates: rateStates(reply.r),
      budgets: list<unknown>(reply.b).map(
        (b) => budgetState(b) ?? { spentMicros: 0, reservedMicros: 0 },
      ),
    };
  }
  const [kind, index, a, b] = reply.f ?? [];
  const rates = rateStates(reply.r);
  if (kind === "budget") {
    return {
      outcome: "refused",
      rates,
      refusal: { kind, index: Number(index), spentMicros: Number(a), reservedMicros: Number(b) },
    };
  }
  if (kind === "lease")
    return {
      outcome: "refused",
      rates,
      refusal: { kind, index: Number(index), inFlight: Number(a) },
    };
  const retry = Number(a);
  return {
    outcome: "refused",
    rates,
    refusal: { kind: "rate", index: Number(index), retryAfterMs: retry < 0 ? null : retry },
  };
}

export function createRedisCounterStore(
  redis: RedisScripting,
  options: RedisCounterStoreOptions = {},
): CounterStore {
  const prefix = options.prefix ?? "switchyard:";
  const timeoutMs = options.timeoutMs ?? 1000;
  const k = (key: string) => prefix + key;

  return {
    async admit(plan: AdmitPlan): Promise<AdmitResult> {
      const keys = [
        ...plan.rates.map((r) => k(r.key)),
        ...plan.leases.map((l) => k(l.key)),
        ...plan.budgets.flatMap((b) => [k(b.key), k(`${b.key}:res`)]),
      ];
      const arg = JSON.stringify({
        id: plan.id,
        r: plan.rates.map((r) => [r.limit, r.windowMs, r.cost]),
        l: plan.leases.map((l) => l.limit),
        lt: plan.leaseTtlMs,
        b: plan.budgets.map((b) => [
          b.amountMicros,
          b.hard ? 1 : 0,
          b.reserveMicros,
          b.expiresAt ?? -1,
          b.initialSpentMicros ?? -1,
        ]),
        rt: plan.reservationTtlMs,
        rm: plan.reportMissingBudgets ? 1 : 0,
      });
      return parseAdmit(await withTimeout(admitScript.run(redis, keys, arg), timeoutMs, "admit"));
    },

    async settle(plan: SettlePlan): Promise<SettleResult> {
      const keys = [
        ...plan.rates.map((r) => k(r.key)),
        ...plan.leaseKeys.map(k),
        ...plan.budgets.flatMap((b) => [k(b.key), k(`${b.key}:res`), k(`${b.key}:alerts`)]),
      ];
      const arg = JSON.stringify({
        id: plan.id,
        r: plan.rates.map((r) => [r.limit, r.windowMs, r.delta]),
        nl: plan.leaseKeys.length,
        b: plan.budgets.map((b) => [b.actualMicros, b.expiresAt ?? -1, b.thresholds]),
      });
      const reply = JSON.parse(
        await withTimeout(settleScript.run(redis, keys, arg), timeoutMs, "settle"),
      ) as { a?: unknown };
      return {
        alerts: list<[number, number, string]>(reply.a).map(([index, thresholdPct, spent]) => ({
          index,
          thresholdPct,
          spentMicros: Number(spent),
        })),
      };
    },

    async snapshot(query: SnapshotQuery): Promise<SnapshotResult> {
      const keys = [
        ...query.rates.map((r) => k(r.key)),
        ...query.leaseKeys.map(k),
        ...query.budgetKeys.flatMap((key) => [k(key), k(`${key}:res`)]),
      ];
      const arg = JSON.stringify({
        r: query.rates.map((r) => [r.limit, r.windowMs]),
        nl: query.leaseKeys.length,
      });
      const reply = JSON.parse(
        await withTimeout(snapshotScript.run(redis, keys, arg), timeoutMs, "snapshot"),
      ) as {
        r?: unknown;
        l?: unknown;
        b?: unknown;
      };
      return {
        rates: rateStates(reply.r),
        inFlight: list<number>(reply.l),
        budgets: query.budgetKeys.map((_, i) => budgetState(list<unknown>(reply.b)[i])),
      };
    },

    async ping(): Promise<void> {
      await withTimeout(redis.ping(), timeoutMs, "ping");
    },
  };
}
