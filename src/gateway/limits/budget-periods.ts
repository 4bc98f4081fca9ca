import type { BudgetPeriod } from "./types";

/**
 * Budget periods in UTC: days start at midnight, weeks on Monday (ISO 8601), months on the 1st;
 * `total` never resets. Counters are keyed by the period's start, so a new period simply starts a
 * new counter and the old one expires.
 */

const DAY_MS = 86_400_000;

export interface PeriodBounds {
  /** Start of the period containing `now` (ms since the epoch; 0 for `total`). */
  start: number;
  /** Start of the next period; null for `total`. */
  end: number | null;
}

export function periodBounds(period: BudgetPeriod, now: number): PeriodBounds {
  switch (period) {
    case "daily": {
      const start = Math.floor(now / DAY_MS) * DAY_MS;
      return { start, end: start + DAY_MS };
    }
    case "weekly": {
      const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
      // getUTCDay: 0 = Sunday; days since Monday = (day + 6) % 7.
      const sinceMonday = (new Date(dayStart).getUTCDay() + 6) % 7;
      const start = dayStart - sinceMonday * DAY_MS;
      return { start, end: start + 7 * DAY_MS };
    }
    case "monthly": {
      const d = new Date(now);
      const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      return { start, end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
    }
    case "total":
      return { start: 0, end: null };
  }
}
