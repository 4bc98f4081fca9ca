import { defineJob } from "../define-job";

/**
 * Weekly: VACUUM (ANALYZE) the tables that grow with traffic (ANALYZE alone where VACUUM is
 * refused) and record what was done in `database_maintenance_runs`.
 */
export const databaseMaintenanceJob = defineJob({
  id: "maintenance/database",
  name: "Maintenance: vacuum and analyze",
  // Sunday 04:00, after the daily retention has deleted what it will.
  trigger: { cron: "0 4 * * 0" },
  retries: 1,
  handler: () => import("./database-maintenance.handler").then((m) => m.default),
});
