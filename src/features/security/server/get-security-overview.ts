import { sql } from "drizzle-orm";
import { executeRows, toCount } from "~/features/usage/server/execute-rows";
import type { Db } from "~/server/db";
import {
  ACCESS_DENIAL_CODES,
  PRIVATE_UPSTREAM_MESSAGE,
  type SecurityOutcome,
  type SecurityRange,
} from "../schemas";

export interface SecurityBucket {
  /** Start of the bucket (UTC hour or day). */
  at: Date;
  blocked: number;
  flagged: number;
  denied: number;
}

export interface SecurityRuleRow {
  /** `guardrail` (a policy rule) or `access` (a refusal by the gateway itself). */
  kind: "guardrail" | "access";
  /** Policy name and rule, or the refusal's code. */
  name: string;
  /** Detector label (`EMAIL`, `OPENAI_API_KEY`), or what the refusal means. */
  detail: string;
  outcome: SecurityOutcome;
  /** The guardrail action (`block`, `flag`, …), or `refuse`. */
  action: string;
  count: number;
  lastAt: Date;
}

export interface SecurityEvent {
  id: string;
  at: Date;
  outcome: SecurityOutcome;
  status: number;
  code: string | null;
  endpoint: string;
  model: string | null;
  apiKeyId: string | null;
}

export interface SecurityOverview {
  range: SecurityRange;
  bucket: "hour" | "day";
  since: Date;
  totals: { requests: number; blocked: number; flagged: number; denied: number };
  series: SecurityBucket[];
  rules: SecurityRuleRow[];
  recent: SecurityEvent[];
}

const RANGE_MS: Record<SecurityRange, number> = {
  "24h": 24 * 3_600_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
};

/** The outcome of a row as SQL (null: nothing security-relevant happened). */
const OUTCOME = sql.raw(`case
  when guardrail_action = 'block' then 'blocked'
  when guardrail_action is not null then 'flagged'
  when error_code in (${ACCESS_DENIAL_CODES.map((c) => `'${c}'`).join(", ")}) then 'denied'
  when error_message like '%${PRIVATE_UPSTREAM_MESSAGE}%' then 'denied'
  else null end`);

const DENIAL_MEANING: Record<string, string> = {
  endpoint_not_allowed: "Key may not call this endpoint",
  model_not_allowed: "Key may not use this model",
  private_upstream: "Upstream address is private (SSRF guard)",
};

/**
 * Blocked, flagged and denied requests of one org over a range, read from the request log:
 * per hour or day, by rule, and the latest events. Every query filters by `orgId` and uses the
 * (org_id, created_at) index.
 */
export async function getSecurityOverview(
  db: Db,
  args: { orgId: string; range: SecurityRange; now?: number },
): Promise<SecurityOverview> {
  const now = args.now ?? Date.now();
  const bucket = args.range === "24h" ? "hour" : "day";
  const step = bucket === "hour" ? 3_600_000 : 86_400_000;
  // Whole buckets: the first one starts at the truncated `since`.
  const since = new Date(Math.floor((now - RANGE_MS[args.range]) / step) * step + step);
  const scope = sql`org_id = ${args.orgId} and created_at >= ${since.toISOString()}::timestamptz`;

  const [totalsRows, seriesRows, guardRows, accessRows, recentRows] = await Promise.all([
    executeRows<{ requests: string; blocked: string; flagged: string; denied: string }>(
      db,
      sql`select count(*)::text as requests,
            count(*) filter (where o = 'blocked')::text as blocked,
            count(*) filter (where o = 'flagged')::text as flagged,
            count(*) filter (where o = 'denied')::text as denied
          from (select ${OUTCOME} as o from request_logs where ${scope}) t`,
    ),
    executeRows<{ at: string; o: SecurityOutcome; n: string }>(
      db,
      sql`select at, o, count(*)::text as n from (
            select to_char(date_trunc(${bucket}, created_at at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"') as at,
              ${OUTCOME} as o
            from request_logs where ${scope} and (guardrail_action is not null or status >= 400)
          ) t where o is not null group by 1, 2`,
    ),
    executeRows<{ policy: string | null; rule: string | null; label: string | null; action: string | null; n: string; last: string }>(
      db,
      sql`select h->>'policyName' as policy, h->>'rule' as rule, h->>'label' as label,
            h->>'action' as action, count(*)::text as n, to_char(max(r.created_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last
          from request_logs r, jsonb_array_elements(r.guardrail_hits) h
          where r.org_id = ${args.orgId} and r.created_at >= ${since.toISOString()}::timestamptz
            and r.guardrail_hits is not null and jsonb_typeof(r.guardrail_hits) = 'array'
          group by 1, 2, 3, 4 order by count(*) desc limit 25`,
    ),
    executeRows<{ code: string; n: string; last: string }>(
      db,
      sql`select case when error_message like ${`%${PRIVATE_UPSTREAM_MESSAGE}%`} then 'private_upstream' else error_code end as code,
            count(*)::text as n, to_char(max(created_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last
          from request_logs where ${scope} and guardrail_action is null and status >= 400
            and (${OUTCOME}) = 'denied'
          group by 1 order by count(*) desc`,
    ),
    executeRows<{ id: string; at: string; o: SecurityOutcome; status: number; code: string | null; endpoint: string; model: string | null; key: string | null }>(
      db,
      sql`select * from (
            select id, created_at, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at,
              ${OUTCOME} as o, status, error_code as code, endpoint, requested_model as model, api_key_id as key
            from request_logs where ${scope} and (guardrail_action is not null or status >= 400)
          ) t where o is not null order by created_at desc limit 20`,
    ),
  ]);

  const byBucket = new Map<number, SecurityBucket>();
  for (let t = since.getTime(); t <= now; t += step) {
    byBucket.set(t, { at: new Date(t), blocked: 0, flagged: 0, denied: 0 });
  }
  for (const row of seriesRows) {
    const entry = byBucket.get(Date.parse(row.at));
    if (entry) entry[row.o] += toCount(row.n);
  }

  const totals = totalsRows[0];
  const rules: SecurityRuleRow[] = [
    ...guardRows.map((r) => ({
      kind: "guardrail" as const,
      name: [r.policy, r.rule].filter(Boolean).join(" › ") || "guardrail",
      detail: r.label ?? "",
      outcome: (r.action === "block" ? "blocked" : "flagged") as SecurityOutcome,
      action: r.action ?? "flag",
      count: toCount(r.n),
      lastAt: new Date(r.last),
    })),
    ...accessRows.map((r) => ({
      kind: "access" as const,
      name: r.code,
      detail: DENIAL_MEANING[r.code] ?? r.code,
      outcome: "denied" as const,
      action: "refuse",
      count: toCount(r.n),
      lastAt: new Date(r.last),
    })),
  ].sort((a, b) => b.count - a.count);

  return {
    range: args.range,
    bucket,
    since,
    totals: {
      requests: toCount(totals?.requests),
      blocked: toCount(totals?.blocked),
      flagged: toCount(totals?.flagged),
      denied: toCount(totals?.denied),
    },
    series: [...byBucket.values()],
    rules,
    recent: recentRows.map((r) => ({
      id: r.id,
      at: new Date(r.at),
      outcome: r.o,
      status: r.status,
      code: r.code,
      endpoint: r.endpoint,
      model: r.model,
      apiKeyId: r.key,
    })),
  };
}
