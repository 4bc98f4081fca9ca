import { getDatabase } from "~/server/db";
import {
  BUDGET_ALERT_KEEP_DAYS,
  deleteOldBudgetAlerts,
} from "~/server/limits/delete-old-budget-alerts";
import { addDays } from "~/server/maintenance/utc-day";
import type { JobHandler } from "../define-job";
import { runClock } from "./job-clock";

const handler: JobHandler<unknown> = async ({ step, logger }) => {
  const { db } = await getDatabase();
  const now = await runClock(step);
  const before = addDays(now, -BUDGET_ALERT_KEEP_DAYS);
  const alertsDeleted = await step.run("alerts", () => deleteOldBudgetAlerts(db, { before }));
  logger.info("budget alert history swept", { alertsDeleted });
  return { alertsDeleted };
};

export default handler;
