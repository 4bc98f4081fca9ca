import { GatewayError } from "../gateway-error";
import { retryAfterSeconds } from "./duration-format";
import type {
  BudgetCheck,
  LeaseCheck,
  LimitScope,
  RateCheck,
  RequestSubject,
} from "./limit-checks";
import { formatUsd } from "./money-format";
import type { BudgetScope } from "./types";

/** The 429/503 errors of the limits engine, with messages that say which limit and what to do. */

const MEASURE_NAMES = {
  rpm: "requests per minute (RPM)",
  tpm: "tokens per minute (TPM)",
  rpd: "requests per day (RPD)",
} as const;

function scopeName(scope: LimitScope, s: RequestSubject): string {
  if (scope === "key") return "this API key";
  if (scope === "org") return "your organization";
  return `model "${s.model}" in your organization`;
}

function budgetOwner(scope: BudgetScope, s: RequestSubject): string {
  if (scope === "org") return "your organization's";
  if (scope === "key") return "this API key's";
  return `end user "${s.endUser ?? ""}"'s`;
}

/** "12s", "3m 5s", "2h 10m": for people; the header carries the exact value. */
function humanWait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

export function rateLimitError(
  check: RateCheck,
  cost: number,
  retryAfterMs: number | null,
  s: RequestSubject,
  headers: Record<string, string>,
): GatewayError {
  const where = `${scopeName(check.scope, s)} on ${MEASURE_NAMES[check.measure]}`;
  const requested = check.measure === "tpm" ? `, requested ${cost}` : "";
  if (retryAfterMs === null) {
    return new GatewayError(
      "rate_limit_exceeded",
      429,
      `Request too large for ${where}: limit ${check.limit}${requested} (prompt estimate + maximum output tokens). ` +
        "Lower max_tokens (or max_completion_tokens) or shorten the prompt.",
      null,
      { headers },
    );
  }
  return new GatewayError(
    "rate_limit_exceeded",
    429,
    `Rate limit reached for ${where}: limit ${check.limit}${requested}. Please try again in ${humanWait(retryAfterMs)}.`,
    null,
    {
      headers: {
        ...headers,
        "retry-after": retryAfterSeconds(retryAfterMs),
        "retry-after-ms": String(Math.ceil(retryAfterMs)),
      },
    },
  );
}

export function concurrencyError(
  check: LeaseCheck,
  s: RequestSubject,
  headers: Record<string, string>,
): GatewayError {
  return new GatewayError(
    "rate_limit_exceeded",
    429,
    `Too many concurrent requests for ${scopeName(check.scope, s)}: limit ${check.limit} in flight. ` +
      "Please try again when one of them finishes.",
    null,
    { headers: { ...headers, "retry-after": "1" } },
  );
}

export function budgetError(
  check: BudgetCheck,
  spentMicros: number,
  reservedMicros: number,
  reserveMicros: number,
  s: RequestSubject,
  now: number,
  rateHeaders: Record<string, string>,
): GatewayError {
  const b = check.budget;
  const period = b.period === "total" ? "total" : b.period;
  const held =
    reservedMicros > 0 ? ` and ${formatUsd(reservedMicros)} reserved by requests in flight` : "";
  const could =
    reserveMicros > 0 ? `; this request could cost up to ${formatUsd(reserveMicros)}` : "";
  const resets =
    check.periodEnd === null
      ? " It does not reset: raise the budget to continue."
      : ` It resets at ${new Date(check.periodEnd).toISOString()}.`;
  const headers: Record<string, string> =
    check.periodEnd === null
      ? rateHeaders
      : { ...rateHeaders, "retry-after": retryAfterSeconds(check.periodEnd - now) };
  return new GatewayError(
    "budget_exceeded",
    429,
    `Budget exceeded: ${budgetOwner(b.scope, s)} ${period} budget of ${formatUsd(b.amountMicros)} (hard limit) ` +
      `has ${formatUsd(spentMicros)} spent${held}${could}.${resets}`,
    null,
    { headers },
  );
}

export function unpricedError(check: BudgetCheck, s: RequestSubject): GatewayError {
  return new GatewayError(
    "budget_exceeded",
    429,
    `Model "${s.model}" has no price, so its cost cannot be counted against ${budgetOwner(check.budget.scope, s)} ` +
      `${check.budget.period} hard budget of ${formatUsd(check.budget.amountMicros)}. Set a price for the model ` +
      "(model prices in the console), or allow unpriced models under hard budgets in the organization's limit settings.",
  );
}

export function limitsUnavailableError(): GatewayError {
  return new GatewayError(
    "limits_unavailable",
    503,
    "Rate limits and budgets cannot be checked right now because the limits store is unreachable. Please retry shortly.",
    null,
    { headers: { "retry-after": "1" } },
  );
}

export function limitsMisconfiguredError(): GatewayError {
  return new GatewayError(
    "limits_misconfigured",
    500,
    "This organization's rate limits or budgets are invalid and cannot be enforced; an administrator must correct them in the console.",
  );
}
