import { budgetSweepJob } from "./budget-sweep";
import { cacheCleanupJob } from "./cache-cleanup";
import { databaseMaintenanceJob } from "./database-maintenance";
import { healthSnapshotJob } from "./health-snapshot";
import { requestLogRetentionJob } from "./request-log-retention";
import { usageRollupJob } from "./usage-rollup";

/** The maintenance crons, in the order they run on a given night. */
export const MAINTENANCE_JOBS = [
  usageRollupJob,
  requestLogRetentionJob,
  budgetSweepJob,
  databaseMaintenanceJob,
  cacheCleanupJob,
  healthSnapshotJob,
] as const;
