/**
 * Money as text, straight from integer micro-dollars (bigint): no float ever touches an amount,
 * so a total shows exactly what was recorded.
 */

const MICROS_PER_DOLLAR = 1_000_000n;

/** `123n` → `"0.000123"`, `12_345_678n` → `"12.345678"`: always six decimals (CSV, JSON). */
export function microsToUsdText(micros: bigint): string {
  const negative = micros < 0n;
  const value = negative ? -micros : micros;
  const whole = value / MICROS_PER_DOLLAR;
  const fraction = (value % MICROS_PER_DOLLAR).toString().padStart(6, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/** Rounds half up to `decimals` (≤ 6) and prints with thousands separators. */
function roundedUsd(value: bigint, decimals: number, trim: boolean): string {
  const step = 10n ** BigInt(6 - decimals);
  const rounded = (value + step / 2n) / step;
  const scale = 10n ** BigInt(decimals);
  const whole = (rounded / scale).toLocaleString("en-US");
  let fraction = (rounded % scale).toString().padStart(decimals, "0");
  if (trim) fraction = fraction.replace(/0+$/, "").padEnd(2, "0");
  return `${whole}.${fraction}`;
}

/**
 * For people: `$0.000123` (under a cent, every micro-dollar shows: one cheap request is often a
 * fraction of a cent), `$0.4320` (under a dollar, four decimals), `$1,234.57` (cents).
 */
export function formatUsd(micros: bigint): string {
  if (micros === 0n) return "$0.00";
  const negative = micros < 0n;
  const value = negative ? -micros : micros;
  const sign = negative ? "-" : "";
  if (value < 10_000n) return `${sign}$${roundedUsd(value, 6, true)}`;
  if (value < MICROS_PER_DOLLAR) return `${sign}$${roundedUsd(value, 4, false)}`;
  return `${sign}$${roundedUsd(value, 2, false)}`;
}

/** The exact amount, for tooltips next to a rounded one: `$1,234.567891`. */
export function formatUsdExact(micros: bigint): string {
  const text = microsToUsdText(micros);
  const negative = text.startsWith("-");
  const [whole = "0", fraction = ""] = (negative ? text.slice(1) : text).split(".");
  return `${negative ? "-" : ""}$${BigInt(whole).toLocaleString("en-US")}.${fraction}`;
}
