import { getDatabase } from "~/server/db";
import { listOrgIdsPage } from "~/server/maintenance/list-org-ids-page";
import { applyRequestLogRetention } from "~/server/request-log/apply-request-log-retention";
import type { JobHandler } from "../define-job";
import { ORG_PAGE_SIZE, runClock } from "./job-clock";

/** One step per page of orgs; each org's old rows go in batches (see applyRequestLogRetention). */
const handler: JobHandler<unknown> = async ({ step, logger }) => {
  const { db } = await getDatabase();
  const now = await runClock(step);
  let after: string | null = null;
  let orgs = 0;
  let deleted = 0;
  for (let page = 0; ; page++) {
    const from: string | null = after;
    const result = await step.run(`orgs-${page}`, async () => {
      const { orgIds, nextAfterOrgId } = await listOrgIdsPage(db, {
        afterOrgId: from,
        limit: ORG_PAGE_SIZE,
      });
      const results = await applyRequestLogRetention(db, { orgIds, now });
      return {
        next: nextAfterOrgId,
        orgs: orgIds.length,
        deleted: results.reduce((sum, r) => sum + r.deleted, 0),
      };
    });
    orgs += result.orgs;
    deleted += result.deleted;
    if (result.next === null) break;
    after = result.next;
  }
  logger.info("request-log retention applied", { orgs, deleted });
  return { orgs, deleted };
};

export default handler;
