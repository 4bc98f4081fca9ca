/** Display helpers for request logs (money arrives as bigint micro-dollars). */

/**
 * `210n` → `$0.00021`, `1_234_567n` → `$1.2346`. Amounts under a cent keep every micro-dollar
 * digit (a single cheap request is often a fraction of a cent); larger ones show four decimals.
 */
export function formatMicros(micros: bigint): string {
  if (micros === 0n) return "$0.00";
  const negative = micros < 0n;
  let value = negative ? -micros : micros;
  let decimals = 6;
  if (value >= 10_000n) {
    // Round half up to 4 decimals (hundreds of micro-dollars).
    value = (value + 50n) / 100n;
    decimals = 4;
  }
  const scale = 10n ** BigInt(decimals);
  const whole = value / scale;
  let fraction = (value % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  if (fraction.length < 2) fraction = fraction.padEnd(2, "0");
  const wholeText = whole.toLocaleString("en-US");
  return `${negative ? "-" : ""}$${wholeText}.${fraction}`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const integer = new Intl.NumberFormat("en-US");

export function formatTokens(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : integer.format(n);
}

/** Pretty JSON when the text is JSON, otherwise the text as is (SSE streams, truncated bodies). */
export function prettyBody(text: string): { text: string; json: boolean } {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return { text, json: false };
  try {
    return { text: JSON.stringify(JSON.parse(text), null, 2), json: true };
  } catch {
    return { text, json: false };
  }
}

export type StatusTone = "success" | "warning" | "danger";

export function statusTone(status: number): StatusTone {
  if (status < 400) return "success";
  if (status < 500) return "warning";
  return "danger";
}
