/**
 * Time ranges of the Usage views. Buckets are UTC hours or UTC days: UTC has no daylight-saving
 * jumps, so every bucket has the same length and the buckets the database groups by and the ones
 * listed here line up exactly.
 */

export type UsageBucket = "hour" | "day";

export interface UsageRange {
  since: Date;
  /** Exclusive end. */
  until: Date;
  bucket: UsageBucket;
}

/** Ranges up to this long are shown hour by hour, longer ones day by day. */
export const HOURLY_MAX_MS = 48 * 3_600_000;
/** The longest range one view may scan (a little over a year, for year-over-year looks). */
export const MAX_RANGE_DAYS = 400;
export const MAX_RANGE_MS = MAX_RANGE_DAYS * 86_400_000;

export const BUCKET_MS: Record<UsageBucket, number> = { hour: 3_600_000, day: 86_400_000 };

export function bucketFor(since: Date, until: Date): UsageBucket {
  return until.getTime() - since.getTime() <= HOURLY_MAX_MS ? "hour" : "day";
}

/** Why a range cannot be shown, or null when it can. */
export function rangeProblem(since: Date, until: Date): string | null {
  if (Number.isNaN(since.getTime()) || Number.isNaN(until.getTime())) return "Not a valid date.";
  if (until.getTime() <= since.getTime()) return "The end of the range must be after its start.";
  if (until.getTime() - since.getTime() > MAX_RANGE_MS) {
    return `A range covers at most ${MAX_RANGE_DAYS} days.`;
  }
  return null;
}

/** The start of the UTC hour or day that holds `at`. */
export function bucketStart(at: Date, bucket: UsageBucket): Date {
  const size = BUCKET_MS[bucket];
  return new Date(Math.floor(at.getTime() / size) * size);
}

/** Every bucket that overlaps [since, until), oldest first: the chart's x axis, gaps included. */
export function bucketStarts(range: UsageRange): Date[] {
  const size = BUCKET_MS[range.bucket];
  const starts: Date[] = [];
  for (
    let t = bucketStart(range.since, range.bucket).getTime();
    t < range.until.getTime();
    t += size
  ) {
    starts.push(new Date(t));
  }
  return starts;
}

const DURATION = /^(\d{1,4})([hdw])$/;
const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A point in time as typed on a command line or in a URL: a duration back from now (`24h`, `7d`,
 * `2w`) or an ISO date/time (`2026-01-31`, `2026-01-31T12:00:00Z`; a date alone is midnight UTC).
 * Returns null when the text is neither.
 */
export function parseUsageTime(text: string, now: Date): Date | null {
  const value = text.trim();
  const duration = DURATION.exec(value);
  if (duration) {
    const amount = Number(duration[1]);
    if (amount === 0) return null;
    return new Date(now.getTime() - amount * UNIT_MS[duration[2] as keyof typeof UNIT_MS]);
  }
  if (!ISO_DATE.test(value)) return null;
  const dateOnly = value.length === 10;
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return null;
  // `Date` rolls 2026-02-31 over into March: compare the calendar date back.
  if (dateOnly && !date.toISOString().startsWith(value)) return null;
  return date;
}

/** The range a view covers: `until` defaults to now; the bucket size follows from the length. */
export function resolveUsageRange(
  input: { since: Date; until?: Date | undefined },
  now = new Date(),
): UsageRange {
  const until = input.until ?? now;
  return { since: input.since, until, bucket: bucketFor(input.since, until) };
}
