/** Micro-dollars as USD for messages: `$12.50`, `$0.000125` (never rounded to a misleading $0.00). */
export function formatUsd(micros: number): string {
  const sign = micros < 0 ? "-" : "";
  const abs = Math.abs(Math.round(micros));
  const dollars = Math.floor(abs / 1_000_000);
  const fraction = String(abs % 1_000_000)
    .padStart(6, "0")
    .replace(/0+$/, "")
    .padEnd(2, "0");
  return `${sign}$${dollars.toLocaleString("en-US")}.${fraction}`;
}
