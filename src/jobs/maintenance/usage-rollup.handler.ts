import { getDatabase } from "~/server/db";
import { listOrgIdsPage } from "~/server/maintenance/list-org-ids-page";
import { utcDayStart } from "~/server/maintenance/utc-day";
import {
  markUsageDayRolledUp,
  rollUpUsageForOrgs,
  usageDaysToRollUp,
  usageRolledUpThrough,
} from "~/server/usage-rollup/roll-up-usage";
import type { JobHandler } from "../define-job";
import { ORG_PAGE_SIZE, runClock } from "./job-clock";
import { usageRollupEventSchema, type UsageRollupEvent } from "./usage-rollup";

/** Days one run rolls up at most (the first run backfills; the next run continues). */
const MAX_DAYS_PER_RUN = 400;

/**
 * Per day: one step per page of orgs (each org's day replaced in one transaction), then one step
 * that marks the day rolled up — only then does the Usage page read it from the roll-up.
 */
const handler: JobHandler<UsageRollupEvent> = async ({ event, step, logger }) => {
  const { db } = await getDatabase();
  const now = await runClock(step);
  const data = usageRollupEventSchema.parse(event.data ?? {});
  const days = await step.run("days", async () => {
    if (data.day) {
      const day = new Date(`${data.day}T00:00:00Z`);
      if (Number.isNaN(day.getTime()) || day >= utcDayStart(now)) {
        throw new Error(`usage roll-up: ${data.day} is not a complete UTC day`);
      }
      // Days are rolled up in order (retention and budgets rely on there being no gaps): a day
      // past the roll-up is left to the scheduled run, which rolls up the days before it first.
      const through = await usageRolledUpThrough(db);
      if (through === null || day >= through) {
        throw new Error(
          `usage roll-up: ${data.day} is not rolled up yet; run the job without a day to roll up every pending day in order`,
        );
      }
      return [day.toISOString()];
    }
    const pending = await usageDaysToRollUp(db, { now, maxDays: MAX_DAYS_PER_RUN });
    return pending.map((d) => d.toISOString());
  });
  let rows = 0;
  for (const iso of days) {
    const day = new Date(iso);
    const label = iso.slice(0, 10);
    let dayRows = 0;
    let after: string | null = null;
    for (let page = 0; ; page++) {
      const from: string | null = after;
      const result = await step.run(`${label}:orgs-${page}`, async () => {
        const { orgIds, nextAfterOrgId } = await listOrgIdsPage(db, {
          afterOrgId: from,
          limit: ORG_PAGE_SIZE,
        });
        return { next: nextAfterOrgId, rows: await rollUpUsageForOrgs(db, { day, orgIds }) };
      });
      dayRows += result.rows;
      if (result.next === null) break;
      after = result.next;
    }
    await step.run(`${label}:done`, () => markUsageDayRolledUp(db, { day, rows: dayRows, now }));
    rows += dayRows;
  }
  logger.info("usage rolled up", { days: days.length, rows });
  return { days: days.map((d) => d.slice(0, 10)), rows };
};

export default handler;
