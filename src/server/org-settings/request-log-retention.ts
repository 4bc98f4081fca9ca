import { z } from "zod";

/** Days of request logs an org keeps unless it says otherwise. */
export const DEFAULT_REQUEST_LOG_RETENTION_DAYS = 30;
/** The longest retention that can be set (ten years); 0 keeps logs forever. */
export const MAX_REQUEST_LOG_RETENTION_DAYS = 3650;

export const requestLogRetentionDaysSchema = z
  .number({ error: "Enter a number of days." })
  .int("Enter a whole number of days.")
  .min(0, "Enter 0 (keep forever) or a number of days.")
  .max(
    MAX_REQUEST_LOG_RETENTION_DAYS,
    `At most ${MAX_REQUEST_LOG_RETENTION_DAYS} days (or 0 to keep logs forever).`,
  );

/** How a retention reads in the console and the audit log. */
export function retentionText(days: number): string {
  if (days === 0) return "kept forever";
  return days === 1 ? "1 day" : `${days} days`;
}
