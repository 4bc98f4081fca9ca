import type { ReadinessProbe, ReadinessReport } from "~/gateway/ports";
import type { CostControls } from "./cost-control";
import type { DatabaseHandle } from "~/server/db";
import type { RequestLogWriterStats } from "~/server/request-log/request-log-writer";

/**
 * `/readyz`: the database answers a trivial query; vector availability is reported as found at
 * startup; the request-log queue's counters show whether logs are being lost (dropped > 0).
 */
export function createReadinessProbe(
  handle: DatabaseHandle,
  requestLogStats?: () => RequestLogWriterStats,
  controls?: Pick<CostControls, "counterStore" | "limits" | "cache">,
): ReadinessProbe {
  return async () => {
    await handle.ping();
    const report: ReadinessReport = {
      database: "ok",
      vector: handle.vectorAvailable ? "available" : "unavailable",
      ...(requestLogStats ? { requestLog: requestLogStats() } : {}),
    };
    if (controls) {
      const status = await controls.limits.engine.ping().then(
        () => "ok" as const,
        () => "unavailable" as const,
      );
      report.limits = { store: controls.counterStore, status };
      const stats = controls.cache.cache.stats();
      const hits = Object.values(stats.hits).reduce((a, b) => a + b, 0);
      report.cache = {
        hits,
        misses: stats.misses,
        bypasses: stats.bypasses,
        entries: stats.l1.entries,
        bytes: stats.l1.bytes,
      };
    }
    return report;
  };
}
