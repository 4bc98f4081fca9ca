import { sql } from "drizzle-orm";
import { executeRows } from "~/features/usage/server/execute-rows";
import type { Db } from "~/server/db";
import { requestLogs, usageDaily, usageRollupDays } from "~/server/db/schema";
import { addDays, DAY_MS, utcDayStart } from "~/server/maintenance/utc-day";

/**
 * The daily usage roll-up: `request_logs` summed per org, UTC day, key, model, provider and end
 * user into `usage_daily`, with the measures the Usage page shows (see usage-sql.ts, which the
 * expressions here mirror one for one). Re-running a day replaces that day's rows of every org
 * that still has raw rows for it, so it is safe to repeat; an org whose raw rows of the day are
 * gone (retention) keeps its roll-up.
 */

/** The roll-up of one org and day, replaced in one transaction. Returns the rows written. */
async function rollUpOrgDay(db: Db, orgId: string, day: Date): Promise<number> {
  const since = day.toISOString();
  const until = addDays(day, 1).toISOString();
  const inDay = sql`${requestLogs.orgId} = ${orgId}
    and ${requestLogs.createdAt} >= ${since}::timestamptz
    and ${requestLogs.createdAt} < ${until}::timestamptz`;
  return db.transaction(async (tx) => {
    const [probe] = await executeRows<{ has_rows: boolean | string }>(
      tx as unknown as Db,
      sql`select exists (select 1 from ${requestLogs} where ${inDay}) as has_rows`,
    );
    const hasRows = probe?.has_rows === true || probe?.has_rows === "t";
    if (!hasRows) return 0;
    await tx.execute(
      sql`delete from ${usageDaily} where ${usageDaily.orgId} = ${orgId} and ${usageDaily.day} = ${since}::timestamptz`,
    );
    const [inserted] = await executeRows<{ rows: string }>(
      tx as unknown as Db,
      sql`with ins as (
        insert into ${usageDaily} (org_id, day, api_key_id, model, provider_id, end_user,
          requests, prompt_tokens, completion_tokens, cached_tokens, spend_micros, priced_requests,
          unpriced_requests, unpriced_prompt_tokens, unpriced_completion_tokens, last_unpriced_at,
          cache_hits, semantic_hits, cache_lookups, errors, saved_micros)
        select ${orgId}, ${since}::timestamptz, ${requestLogs.apiKeyId},
          coalesce(${requestLogs.servedModel}, ${requestLogs.requestedModel}),
          ${requestLogs.providerId}, ${requestLogs.endUser},
          count(*),
          coalesce(sum(${requestLogs.promptTokens}), 0),
          coalesce(sum(${requestLogs.completionTokens}), 0),
          coalesce(sum(${requestLogs.cachedTokens}), 0),
          coalesce(sum(${requestLogs.costMicros}) filter (where not ${requestLogs.unpriced}), 0),
          count(${requestLogs.costMicros}) filter (where not ${requestLogs.unpriced}),
          count(*) filter (where ${requestLogs.unpriced}),
          coalesce(sum(${requestLogs.promptTokens}) filter (where ${requestLogs.unpriced}), 0),
          coalesce(sum(${requestLogs.completionTokens}) filter (where ${requestLogs.unpriced}), 0),
          max(${requestLogs.createdAt}) filter (where ${requestLogs.unpriced}),
          count(*) filter (where ${requestLogs.cacheStatus} in ('hit', 'semantic_hit')),
          count(*) filter (where ${requestLogs.cacheStatus} = 'semantic_hit'),
          count(*) filter (where ${requestLogs.cacheStatus} in ('hit', 'semantic_hit', 'miss')),
          count(*) filter (where ${requestLogs.status} >= 400),
          coalesce(sum(${requestLogs.savedMicros}), 0)
        from ${requestLogs}
        where ${inDay}
        group by ${requestLogs.apiKeyId}, coalesce(${requestLogs.servedModel}, ${requestLogs.requestedModel}),
          ${requestLogs.providerId}, ${requestLogs.endUser}
        returning 1
      ) select count(*)::text as rows from ins`,
    );
    return Number(inserted?.rows ?? 0);
  });
}

/** Rolls up one UTC day for the given orgs (one page of them). Returns the rows written. */
export async function rollUpUsageForOrgs(
  db: Db,
  args: { day: Date; orgIds: readonly string[] },
): Promise<number> {
  const day = utcDayStart(args.day);
  let rows = 0;
  for (const orgId of args.orgIds) rows += await rollUpOrgDay(db, orgId, day);
  return rows;
}

/** Records that every org's rows of `day` are rolled up: from now on the Usage page reads them there. */
export async function markUsageDayRolledUp(
  db: Db,
  args: { day: Date; rows: number; now: Date },
): Promise<void> {
  const day = utcDayStart(args.day);
  await db
    .insert(usageRollupDays)
    .values({ day, rows: args.rows, rolledAt: args.now })
    .onConflictDoUpdate({
      target: usageRollupDays.day,
      set: { rows: args.rows, rolledAt: args.now },
    });
}

/**
 * The end of the roll-up: midnight after the latest rolled-up day (null when none is). Days before
 * it are read from `usage_daily`; the job rolls days up in order, so there are no gaps.
 */
export async function usageRolledUpThrough(db: Db): Promise<Date | null> {
  const [row] = await executeRows<{ latest: string | null }>(
    db,
    sql`select to_char(max(${usageRollupDays.day}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as latest
      from ${usageRollupDays}`,
  );
  return row?.latest ? addDays(new Date(row.latest), 1) : null;
}

/**
 * The complete UTC days that still need rolling up, oldest first: from the day after the latest
 * rolled-up one (or the first day with traffic, on the first run) to yesterday, at most `maxDays`
 * of them (the next run continues).
 */
export async function usageDaysToRollUp(
  db: Db,
  args: { now: Date; maxDays: number },
): Promise<Date[]> {
  const today = utcDayStart(args.now);
  let first = await usageRolledUpThrough(db);
  if (first === null) {
    // First run only: the one scan of the whole table to find where traffic starts.
    const [row] = await executeRows<{ first: string | null }>(
      db,
      sql`select to_char(min(${requestLogs.createdAt}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as first
        from ${requestLogs}`,
    );
    if (!row?.first) return [];
    first = utcDayStart(new Date(row.first));
  }
  const days: Date[] = [];
  for (let t = first.getTime(); t < today.getTime() && days.length < args.maxDays; t += DAY_MS) {
    days.push(new Date(t));
  }
  return days;
}
