import { randomBase62 } from "~/lib/ids";
import type { RateLimits } from "~/gateway/limits/types";
import { DomainError } from "~/server/domain/domain-error";

/** Ids of the limits tables: the prefix says what the id is. */
export function newLimitsId(prefix: "lt" | "ol" | "bud"): string {
  return `${prefix}_${randomBase62(20)}`;
}

export const tierNotFound = () =>
  new DomainError("NOT_FOUND", "No rate-limit tier with that id in this organization.");
export const keyNotFound = () =>
  new DomainError("NOT_FOUND", "No API key with that id in this organization.");
export const budgetNotFound = () =>
  new DomainError("NOT_FOUND", "No budget with that id in this organization.");
export const orgLimitNotFound = () =>
  new DomainError("NOT_FOUND", "No limit with that id in this organization.");

/** Postgres unique violation (23505) whatever the driver wraps it in. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e; e = (e as { cause?: unknown }).cause) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (code === "23505" || String(message ?? "").includes("duplicate key value")) return true;
  }
  return false;
}

export function hasAnyLimit(l: RateLimits): boolean {
  return l.rpm !== null || l.tpm !== null || l.rpd !== null || l.concurrent !== null;
}

/** `rpm 20 · tpm 40,000 · rpd — · concurrent 2`, for audit summaries and the CLI. */
export function describeLimits(l: RateLimits): string {
  const v = (n: number | null) => (n === null ? "—" : n.toLocaleString("en-US"));
  return `rpm ${v(l.rpm)} · tpm ${v(l.tpm)} · rpd ${v(l.rpd)} · concurrent ${v(l.concurrent)}`;
}

export function limitsOf(row: RateLimits): RateLimits {
  return { rpm: row.rpm, tpm: row.tpm, rpd: row.rpd, concurrent: row.concurrent };
}

/** USD text of micro-dollars, exact to the micro-dollar (`$12.50`, `$0.000125`). */
export function usdText(micros: number): string {
  const whole = Math.trunc(micros / 1_000_000);
  const frac = Math.abs(micros % 1_000_000)
    .toString()
    .padStart(6, "0")
    .replace(/0+$/, "");
  const cents = frac.length < 2 ? frac.padEnd(2, "0") : frac;
  return `$${whole.toLocaleString("en-US")}.${cents}`;
}

/** The default tiers "Add default tiers" creates (editable afterwards). */
export const DEFAULT_TIERS: readonly { name: string; limits: RateLimits }[] = [
  { name: "free", limits: { rpm: 20, tpm: 40_000, rpd: 500, concurrent: 2 } },
  { name: "pro", limits: { rpm: 500, tpm: 2_000_000, rpd: 50_000, concurrent: 20 } },
  { name: "enterprise", limits: { rpm: 5_000, tpm: 20_000_000, rpd: null, concurrent: 200 } },
];
