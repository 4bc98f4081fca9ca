import { defineJob } from "../define-job";

/** Hourly: removes expired rows of the response cache tables (exact and, with pgvector, semantic). */
export const cacheCleanupJob = defineJob({
  id: "maintenance/cache-cleanup",
  name: "Maintenance: response-cache cleanup",
  trigger: { cron: "15 * * * *" },
  handler: () => import("./cache-cleanup.handler").then((m) => m.default),
});
