import { randomUUID } from "node:crypto";
import { lt, sql } from "drizzle-orm";
import type { BreakerSnapshot } from "~/gateway/routing/circuit-breaker";
import type { ReadinessProbe } from "~/gateway/ports";
import { executeRows } from "~/features/usage/server/execute-rows";
import type { Db } from "~/server/db";
import { healthSnapshots, type HealthSnapshotReport } from "~/server/db/schema";

/** Snapshots older than this are pruned by the same job (about three months of hourly rows). */
export const HEALTH_SNAPSHOT_KEEP_DAYS = 90;
const PRUNE_BATCH = 5_000;

/**
 * Records what `/readyz` reports right now, plus this instance's circuit breakers by state (counts
 * only: breakers are per org, a snapshot is instance-wide). A probe that throws (the database did
 * not answer) is recorded as `degraded` with the reason, if the database takes the write.
 */
export async function takeHealthSnapshot(
  db: Db,
  args: {
    probe: ReadinessProbe;
    breakers?: () => readonly BreakerSnapshot[];
    instance: string;
    now: Date;
  },
): Promise<{ id: string; status: "ok" | "degraded"; report: HealthSnapshotReport }> {
  let report: HealthSnapshotReport;
  try {
    const ready = await args.probe();
    report = {
      database: ready.database,
      vector: ready.vector,
      ...(ready.limits ? { limits: ready.limits } : {}),
      ...(ready.requestLog ? { requestLog: { ...ready.requestLog } } : {}),
      ...(ready.cache ? { cache: { ...ready.cache } } : {}),
    };
  } catch (err) {
    report = {
      database: "unavailable",
      databaseError: (err instanceof Error ? err.message : String(err)).slice(0, 500),
    };
  }
  if (args.breakers) {
    const counts = { closed: 0, open: 0, halfOpen: 0 };
    for (const b of args.breakers()) {
      if (b.state === "open") counts.open += 1;
      else if (b.state === "half-open") counts.halfOpen += 1;
      else counts.closed += 1;
    }
    report.breakers = counts;
  }
  const degraded =
    report.database !== "ok" ||
    report.limits?.status === "unavailable" ||
    (report.requestLog?.dropped ?? 0) > 0 ||
    (report.breakers?.open ?? 0) > 0;
  const status = degraded ? "degraded" : "ok";
  const id = randomUUID();
  await db.insert(healthSnapshots).values({
    id,
    instance: args.instance,
    status,
    report,
    takenAt: args.now,
  });
  return { id, status, report };
}

/** Deletes snapshots taken before `before`, a batch per statement. Returns the rows removed. */
export async function pruneHealthSnapshots(db: Db, args: { before: Date }): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await executeRows<{ deleted: string }>(
      db,
      sql`with doomed as (
          select ${healthSnapshots.id} as id from ${healthSnapshots}
          where ${lt(healthSnapshots.takenAt, args.before)} limit ${PRUNE_BATCH}
        ), gone as (
          delete from ${healthSnapshots} where ${healthSnapshots.id} in (select id from doomed) returning 1
        ) select count(*)::text as deleted from gone`,
    );
    const deleted = Number(row?.deleted ?? 0);
    total += deleted;
    if (deleted < PRUNE_BATCH) return total;
  }
}
