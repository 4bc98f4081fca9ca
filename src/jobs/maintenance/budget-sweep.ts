import { defineJob } from "../define-job";

/**
 * Daily: deletes budget-alert records of periods long past (see deleteOldBudgetAlerts). Budget
 * counters need no reset: they are keyed by period start and expire on their own (see
 * docs/jobs.md, "Budget periods").
 */
export const budgetSweepJob = defineJob({
  id: "maintenance/budget-sweep",
  name: "Maintenance: budget alert history",
  trigger: { cron: "45 3 * * *" },
  handler: () => import("./budget-sweep.handler").then((m) => m.default),
});
