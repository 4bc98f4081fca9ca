import { UsageError } from "./cli-error";

const DURATION = /^(\d{1,5})([hdw])$/;
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/**
 * `--expires`: a duration from now (`12h`, `30d`, `2w`) or an ISO date/time (`2026-01-31`,
 * `2026-01-31T12:00:00Z`; a date alone means midnight UTC). Whether it lies in the future is the
 * schema's call, as in the console.
 */
export function parseExpires(value: string, now = new Date()): Date {
  const text = value.trim();
  const duration = DURATION.exec(text);
  if (duration) {
    const amount = Number(duration[1]);
    if (amount === 0) throw new UsageError("--expires: the duration must be at least 1");
    return new Date(now.getTime() + amount * UNIT_MS[duration[2] as keyof typeof UNIT_MS]);
  }
  if (ISO_DATE.test(text)) {
    const date = new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
    // `Date` rolls 2026-02-31 over to March: compare the calendar date back.
    if (
      !Number.isNaN(date.getTime()) &&
      (text.length !== 10 || date.toISOString().startsWith(text))
    ) {
      return date;
    }
  }
  throw new UsageError(
    `--expires: "${value}" is not a date; use an ISO date like 2026-12-31 or 2026-12-31T18:00:00Z, or a duration like 12h, 30d, 2w`,
  );
}

/** `--models a,b`: comma-separated model names (emptiness and length are the schema's call). */
export function parseModels(value: string): string[] {
  return value.split(",").map((m) => m.trim());
}

/** `--metadata k=v …`: pairs split at the first `=`; a key given twice is a mistake. */
export function parseMetadata(pairs: string[]): Record<string, string> {
  const metadata = new Map<string, string>();
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--metadata: "${pair}" is not key=value`);
    const key = pair.slice(0, eq).trim();
    if (!key) throw new UsageError(`--metadata: "${pair}" has an empty key`);
    if (metadata.has(key)) throw new UsageError(`--metadata: key "${key}" is given twice`);
    metadata.set(key, pair.slice(eq + 1));
  }
  // fromEntries defines own properties, so a key like "__proto__" stays plain data.
  return Object.fromEntries(metadata);
}
