import type { BudgetPeriod, RateLimits } from "~/gateway/limits/types";

/** Form and display helpers of the limits page (pure; unit-tested). */

export const MEASURES = [
  { key: "rpm", label: "Requests / min", short: "RPM" },
  { key: "tpm", label: "Tokens / min", short: "TPM" },
  { key: "rpd", label: "Requests / day", short: "RPD" },
  { key: "concurrent", label: "Concurrent", short: "Concurrent" },
] as const satisfies readonly { key: keyof RateLimits; label: string; short: string }[];

export const PERIOD_LABELS: Record<BudgetPeriod, string> = {
  daily: "Daily",
  weekly: "Weekly (Mon–Sun, UTC)",
  monthly: "Monthly",
  total: "Total (never resets)",
};

/**
 * A number field's text as an input value: empty → null ("no limit"), numeric text → a number,
 * anything else stays text so the server's validation names the field and says what is wrong.
 */
export function numberFromField(text: string): number | null {
  const t = text.trim().replace(/[,_\s]/g, "");
  if (t === "") return null;
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : (t as unknown as number);
}

export function fieldFromNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** `40k`, `2M`, `500`; `—` for no limit. */
export function limitText(value: number | null): string {
  if (value === null) return "—";
  return value >= 10_000 ? compact.format(value) : value.toLocaleString("en-US");
}

/** Money for people, exact enough: cents from $1, more digits below. */
export function usd(micros: number): string {
  const dollars = micros / 1_000_000;
  if (micros !== 0 && Math.abs(dollars) < 0.01) return `$${dollars.toFixed(6).replace(/0+$/, "")}`;
  return dollars.toLocaleString("en-US", { style: "currency", currency: "USD" });
}

/** USD amount for an edit field (no separators): 12.5 → "12.5". */
export function usdField(micros: number): string {
  return String(micros / 1_000_000);
}

export type ConsumptionTone = "ok" | "warning" | "over";

/** Share of the budget used (0..∞) and its tone: red at or over 100 %, amber from 80 %. */
export function consumption(
  spentMicros: number,
  amountMicros: number,
): { ratio: number; tone: ConsumptionTone } {
  const ratio = amountMicros > 0 ? spentMicros / amountMicros : 0;
  return { ratio, tone: ratio >= 1 ? "over" : ratio >= 0.8 ? "warning" : "ok" };
}

/** `87%`, `<1%` for a little spend, `250%` over. */
export function percentText(ratio: number): string {
  if (ratio > 0 && ratio < 0.01) return "<1%";
  return `${Math.floor(ratio * 100)}%`;
}

/** Thresholds typed as `50, 80, 100` → numbers (non-numbers kept for the server to refuse). */
export function thresholdsFromField(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? Number(t) : (t as unknown as number)));
}

/** `1h`, `30m`, `2d 4h`, `45s` for a TTL in seconds. */
export function durationText(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  const s = seconds % 60;
  const parts = [d && `${d}d`, h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean);
  return parts.slice(0, 2).join(" ") || "0s";
}
