import { eq } from "drizzle-orm";
import type { BudgetRule, RateLimits } from "~/gateway/limits/types";
import type { Db } from "~/server/db";
import {
  budgets,
  keyLimits,
  orgLimits,
  orgLimitSettings,
  rateLimitTiers,
} from "~/server/db/schema";
import type { OrgLimitSettingsValue } from "./limit-settings";

/**
 * Everything an org configured about limits, as rows of one list: the unit the per-org cache
 * holds (see OrgListCache). `compileOrgLimits` turns the list into lookups for the hot path.
 */
export type OrgLimitsRow =
  | { kind: "settings"; settings: OrgLimitSettingsValue }
  | { kind: "tier"; id: string; limits: RateLimits }
  | {
      kind: "key";
      keyId: string;
      tierId: string | null;
      limits: RateLimits;
      cacheTtlSeconds: number | null;
    }
  | { kind: "org"; model: string | null; limits: RateLimits }
  | { kind: "budget"; rule: BudgetRule };

const limitsOf = (r: RateLimits): RateLimits => ({
  rpm: r.rpm,
  tpm: r.tpm,
  rpd: r.rpd,
  concurrent: r.concurrent,
});

/** One query per table, run together; every query is scoped by the org. */
export async function loadOrgLimitRows(db: Db, orgId: string): Promise<OrgLimitsRow[]> {
  const [settings, tiers, keys, orgRows, budgetRows] = await Promise.all([
    db.select().from(orgLimitSettings).where(eq(orgLimitSettings.orgId, orgId)).limit(1),
    db.select().from(rateLimitTiers).where(eq(rateLimitTiers.orgId, orgId)),
    db.select().from(keyLimits).where(eq(keyLimits.orgId, orgId)),
    db.select().from(orgLimits).where(eq(orgLimits.orgId, orgId)),
    db.select().from(budgets).where(eq(budgets.orgId, orgId)),
  ]);
  const rows: OrgLimitsRow[] = [];
  const s = settings[0];
  if (s) {
    rows.push({
      kind: "settings",
      settings: {
        allowUnpricedUnderHardBudget: s.allowUnpricedUnderHardBudget,
        budgetAlertWebhookUrl: s.budgetAlertWebhookUrl,
        webhookSecretVersion: s.webhookSecretVersion,
        cacheDefault: s.cacheDefault,
        cacheTtlSeconds: s.cacheTtlSeconds,
        semanticCache: s.semanticCache,
        semanticThreshold: s.semanticThreshold,
      },
    });
  }
  for (const t of tiers) rows.push({ kind: "tier", id: t.id, limits: limitsOf(t) });
  for (const k of keys) {
    rows.push({
      kind: "key",
      keyId: k.keyId,
      tierId: k.tierId,
      limits: limitsOf(k),
      cacheTtlSeconds: k.cacheTtlSeconds,
    });
  }
  for (const o of orgRows) rows.push({ kind: "org", model: o.model, limits: limitsOf(o) });
  for (const b of budgetRows) {
    rows.push({
      kind: "budget",
      rule: Object.freeze({
        id: b.id,
        scope: b.scope,
        keyId: b.keyId,
        amountMicros: b.amountMicros,
        period: b.period,
        hard: b.hard,
        alertThresholds: Object.freeze([...b.alertThresholds].sort((x, y) => x - y)),
      }),
    });
  }
  return rows;
}
