import { defineJob } from "../define-job";

/** Hourly: records what `/readyz` reports (plus breaker counts) in `health_snapshots`; prunes old ones. */
export const healthSnapshotJob = defineJob({
  id: "maintenance/health-snapshot",
  name: "Maintenance: health snapshot",
  trigger: { cron: "0 * * * *" },
  // A snapshot an hour late says little: no retries.
  retries: 0,
  handler: () => import("./health-snapshot.handler").then((m) => m.default),
});
