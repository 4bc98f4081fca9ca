import { defineJob } from "../define-job";

/**
 * Daily: deletes each org's request logs older than its retention (org setting, default 30 days,
 * 0 = keep forever), whole UTC days at a time and only days the usage roll-up already covers, so
 * usage figures and budgets outlive the raw rows.
 */
export const requestLogRetentionJob = defineJob({
  id: "maintenance/request-log-retention",
  name: "Maintenance: request-log retention",
  // After the usage roll-up (00:30), so yesterday is rolled up before anything older is deleted.
  trigger: { cron: "0 3 * * *" },
  handler: () => import("./request-log-retention.handler").then((m) => m.default),
});
