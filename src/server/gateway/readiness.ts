import type { ReadinessProbe } from "~/gateway/ports";
import type { DatabaseHandle } from "~/server/db";

/** `/readyz`: the database answers a trivial query; vector availability is reported as found at startup. */
export function createReadinessProbe(handle: DatabaseHandle): ReadinessProbe {
  return async () => {
    await handle.ping();
    return { database: "ok", vector: handle.vectorAvailable ? "available" : "unavailable" };
  };
}
