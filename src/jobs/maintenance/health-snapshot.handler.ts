import { hostname } from "node:os";
import { getDatabase } from "~/server/db";
import { getGatewayPorts } from "~/server/gateway";
import { addDays } from "~/server/maintenance/utc-day";
import {
  HEALTH_SNAPSHOT_KEEP_DAYS,
  pruneHealthSnapshots,
  takeHealthSnapshot,
} from "~/server/maintenance/take-health-snapshot";
import type { JobHandler } from "../define-job";
import { runClock } from "./job-clock";

/**
 * The snapshot reads this process's gateway (its request-log queue, cache and breakers): the job
 * runs in the server process with the local driver, and in the process serving `/api/inngest`
 * with Inngest.
 */
const handler: JobHandler<unknown> = async ({ step, logger }) => {
  const { db } = await getDatabase();
  const now = await runClock(step);
  const snapshot = await step.run("snapshot", async () => {
    const ports = await getGatewayPorts();
    const { id, status } = await takeHealthSnapshot(db, {
      probe: ports.readiness,
      breakers: ports.routing ? () => ports.routing!.breakers.snapshot() : undefined,
      instance: `${hostname()}:${process.pid}`,
      now,
    });
    return { id, status };
  });
  const pruned = await step.run("prune", () =>
    pruneHealthSnapshots(db, { before: addDays(now, -HEALTH_SNAPSHOT_KEEP_DAYS) }),
  );
  if (snapshot.status !== "ok") logger.warn("health snapshot: degraded", snapshot);
  return { ...snapshot, pruned };
};

export default handler;
