/**
 * Exact decimal arithmetic for prices. Catalog prices arrive as JavaScript numbers (dollars per
 * million tokens); their shortest decimal form ("0.15", "3.6e-3") is taken at face value and
 * carried as a fraction of bigints, so a cost is never off by float error before the one
 * rounding at the end.
 */

/** A non-negative rational number: `num / den`, `den > 0`. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

export const ZERO: Fraction = { num: 0n, den: 1n };

const DECIMAL = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

/** `"0.15"` → 15/100; `1e-7` → 1/10000000. Throws on negatives, NaN and non-decimal text. */
export function parseDecimal(value: number | string): Fraction {
  const text = typeof value === "number" ? numberToDecimalText(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`Not a non-negative decimal: ${String(value)}`);
  const [, whole = "0", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  let num = BigInt(whole + fraction);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    num *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { num, den: 10n ** BigInt(scale) };
}

function numberToDecimalText(value: number): string {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`Not a non-negative price: ${value}`);
  return String(value);
}

export function add(a: Fraction, b: Fraction): Fraction {
  if (a.den === b.den) return { num: a.num + b.num, den: a.den };
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

export function multiply(a: Fraction, factor: bigint, divisor: bigint = 1n): Fraction {
  return { num: a.num * factor, den: a.den * divisor };
}

/** Rounds half up to an integer (inputs are never negative). */
export function roundHalfUp(f: Fraction): bigint {
  return (2n * f.num + f.den) / (2n * f.den);
}

/**
 * Dollars as typed in a form (`"0.15"`, `"12"`) → integer micro-dollars, exactly. At most six
 * decimals: a micro-dollar is the smallest amount Switchyard stores.
 */
export function dollarsToMicros(text: string): bigint {
  const match = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`Not a dollar amount with at most 6 decimals: ${text}`);
  const [, whole = "0", fraction = ""] = match;
  return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, "0"));
}
