import type { BudgetRule, RateLimits, RequestLimits } from "~/gateway/limits/types";
import type { AdmitRequest } from "~/gateway/limits/limits-engine";
import { GatewayError } from "~/gateway/gateway-error";

/** Small builders shared by the limits tests. */

export function rate(partial: Partial<RateLimits>): RateLimits {
  return { rpm: null, tpm: null, rpd: null, concurrent: null, ...partial };
}

export function limits(partial: Partial<RequestLimits>): RequestLimits {
  return { key: null, org: null, model: null, budgets: [], allowUnpriced: false, ...partial };
}

let budgetSeq = 0;
export function budget(partial: Partial<BudgetRule>): BudgetRule {
  return {
    id: `bud_test_${++budgetSeq}_${Math.random().toString(36).slice(2, 8)}`,
    scope: "org",
    keyId: null,
    amountMicros: 1_000_000,
    period: "monthly",
    hard: true,
    alertThresholds: [],
    ...partial,
  };
}

export function request(l: RequestLimits, partial: Partial<AdmitRequest> = {}): AdmitRequest {
  return {
    orgId: "org_a",
    keyId: "key_a",
    model: "gpt-4o",
    endUser: null,
    limits: l,
    estimateTokens: () => 100,
    maxCostMicros: null,
    ...partial,
  };
}

export class FakeClock {
  constructor(public t = Date.UTC(2025, 0, 15, 12, 0, 0)) {}
  now = () => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface CapturedLog {
  level: "warn" | "error";
  msg: string;
  fields?: Record<string, unknown>;
}

export function captureLogger(): {
  logger: {
    warn: (m: string, f?: Record<string, unknown>) => void;
    error: (m: string, f?: Record<string, unknown>) => void;
  };
  lines: CapturedLog[];
} {
  const lines: CapturedLog[] = [];
  return {
    lines,
    logger: {
      warn: (msg, fields) => lines.push({ level: "warn", msg, fields }),
      error: (msg, fields) => lines.push({ level: "error", msg, fields }),
    },
  };
}

/** Runs `fn` and returns the GatewayError it throws (fails the test when it does not throw one). */
export async function refusal(fn: () => Promise<unknown>): Promise<GatewayError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error("expected a GatewayError, but the call succeeded");
}
