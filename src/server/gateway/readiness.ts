import type { ReadinessProbe } from "~/gateway/ports";
import type { DatabaseHandle } from "~/server/db";
import type { RequestLogWriterStats } from "~/server/request-log/request-log-writer";

/**
 * `/readyz`: the database answers a trivial query; vector availability is reported as found at
 * startup; the request-log queue's counters show whether logs are being lost (dropped > 0).
 */
export function createReadinessProbe(
  handle: DatabaseHandle,
  requestLogStats?: () => RequestLogWriterStats,
): ReadinessProbe {
  return async () => {
    await handle.ping();
    return {
      database: "ok",
      vector: handle.vectorAvailable ? "available" : "unavailable",
      ...(requestLogStats ? { requestLog: requestLogStats() } : {}),
    };
  };
}
