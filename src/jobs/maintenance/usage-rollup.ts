import { z } from "zod";
import { defineJob } from "../define-job";

/** Optional: re-roll one UTC day already rolled up (`2026-03-01`) instead of the pending days. */
export const usageRollupEventSchema = z
  .object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A day is YYYY-MM-DD.").optional() })
  .passthrough();
export type UsageRollupEvent = z.infer<typeof usageRollupEventSchema>;

/**
 * Daily: sums each complete UTC day of request logs into `usage_daily` (per org, key, model,
 * provider and end user), which the Usage page reads for those days. Safe to re-run for a day.
 */
export const usageRollupJob = defineJob<UsageRollupEvent>({
  id: "maintenance/usage-rollup",
  name: "Maintenance: usage roll-up",
  // Half an hour after midnight UTC: the last request-log batches of the day are written by then.
  trigger: { cron: "30 0 * * *" },
  handler: () => import("./usage-rollup.handler").then((m) => m.default),
});
