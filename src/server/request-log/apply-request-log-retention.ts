import { eq, inArray, sql } from "drizzle-orm";
import { executeRows } from "~/features/usage/server/execute-rows";
import type { Db } from "~/server/db";
import { orgSettings, requestLogs } from "~/server/db/schema";
import { addDays, utcDayStart } from "~/server/maintenance/utc-day";
import { DEFAULT_REQUEST_LOG_RETENTION_DAYS } from "~/server/org-settings/request-log-retention";
import { usageRolledUpThrough } from "~/server/usage-rollup/roll-up-usage";

/** Rows deleted per statement: short locks and WAL bursts, bounded work per statement. */
export const RETENTION_DELETE_BATCH = 5_000;

export interface OrgRetentionResult {
  orgId: string;
  /** 0 = keep forever (nothing deleted). */
  retentionDays: number;
  /** Rows older than this were deleted (null when the org keeps everything). */
  cutoff: string | null;
  deleted: number;
}

/**
 * Where an org's request logs are cut: whole UTC days older than its retention, and never past
 * the usage roll-up, so the Usage page keeps every day's figures after the raw rows go.
 */
export function retentionCutoff(
  retentionDays: number,
  now: Date,
  rolledUpThrough: Date | null,
): Date | null {
  if (retentionDays <= 0 || rolledUpThrough === null) return null;
  const byAge = addDays(utcDayStart(now), -retentionDays);
  return byAge < rolledUpThrough ? byAge : rolledUpThrough;
}

/** Deletes one org's request-log rows created before `before`, a batch per statement. */
export async function deleteRequestLogsBefore(
  db: Db,
  args: { orgId: string; before: Date; batchSize?: number },
): Promise<number> {
  const batch = args.batchSize ?? RETENTION_DELETE_BATCH;
  let total = 0;
  for (;;) {
    const [row] = await executeRows<{ deleted: string }>(
      db,
      sql`with doomed as (
          select ${requestLogs.id} as id from ${requestLogs}
          where ${requestLogs.orgId} = ${args.orgId}
            and ${requestLogs.createdAt} < ${args.before.toISOString()}::timestamptz
          limit ${batch}
        ), gone as (
          delete from ${requestLogs} where ${requestLogs.id} in (select id from doomed)
            and ${requestLogs.orgId} = ${args.orgId}
          returning 1
        ) select count(*)::text as deleted from gone`,
    );
    const deleted = Number(row?.deleted ?? 0);
    total += deleted;
    if (deleted < batch) return total;
  }
}

/**
 * Applies each org's request-log retention (org setting, default 30 days; 0 keeps everything) to
 * the given orgs (one page of them).
 */
export async function applyRequestLogRetention(
  db: Db,
  args: { orgIds: readonly string[]; now: Date; batchSize?: number },
): Promise<OrgRetentionResult[]> {
  if (args.orgIds.length === 0) return [];
  const rolledUpThrough = await usageRolledUpThrough(db);
  const settings = await db
    .select({ orgId: orgSettings.orgId, days: orgSettings.requestLogRetentionDays })
    .from(orgSettings)
    .where(
      args.orgIds.length === 1
        ? eq(orgSettings.orgId, args.orgIds[0]!)
        : inArray(orgSettings.orgId, [...args.orgIds]),
    );
  const daysByOrg = new Map(settings.map((s) => [s.orgId, s.days]));
  const results: OrgRetentionResult[] = [];
  for (const orgId of args.orgIds) {
    const retentionDays = daysByOrg.get(orgId) ?? DEFAULT_REQUEST_LOG_RETENTION_DAYS;
    const cutoff = retentionCutoff(retentionDays, args.now, rolledUpThrough);
    const deleted = cutoff
      ? await deleteRequestLogsBefore(db, { orgId, before: cutoff, batchSize: args.batchSize })
      : 0;
    results.push({ orgId, retentionDays, cutoff: cutoff?.toISOString() ?? null, deleted });
  }
  return results;
}
