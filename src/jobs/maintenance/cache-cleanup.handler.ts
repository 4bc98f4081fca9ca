import { deleteExpiredCacheEntries } from "~/server/cache/response-cache/delete-expired-cache-entries";
import { getDatabase } from "~/server/db";
import type { JobHandler } from "../define-job";
import { runClock } from "./job-clock";

/** One step per cache table; each deletes in batches (see the stores' `deleteExpired`). */
const handler: JobHandler<unknown> = async ({ step, logger }) => {
  const handle = await getDatabase();
  const now = await runClock(step);
  const exact = await step.run("exact", () =>
    deleteExpiredCacheEntries(handle, { tier: "exact", now }),
  );
  const semantic = await step.run("semantic", () =>
    deleteExpiredCacheEntries(handle, { tier: "semantic", now }),
  );
  logger.info("expired cache entries removed", { exact, semantic });
  return { exact, semantic };
};

export default handler;
