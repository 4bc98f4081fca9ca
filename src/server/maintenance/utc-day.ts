/** UTC days as the maintenance jobs count them (the Usage page's day buckets are UTC too). */

export const DAY_MS = 86_400_000;

/** Midnight UTC of the day that holds `at`. */
export function utcDayStart(at: Date): Date {
  return new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
}

/** `2026-03-01` for the day that holds `at`. */
export function utcDayText(at: Date): string {
  return utcDayStart(at).toISOString().slice(0, 10);
}

export function addDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * DAY_MS);
}
