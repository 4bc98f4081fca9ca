import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgLimitSettings } from "~/server/db/schema";
import {
  DEFAULT_LIMIT_SETTINGS,
  type OrgLimitSettingsValue,
} from "~/server/limits-config/limit-settings";

export interface LimitSettingsView extends OrgLimitSettingsValue {
  /** null while the org runs on the defaults. */
  updatedAt: Date | null;
}

/** The org's limit and cache settings as stored (defaults when never changed), uncached. */
export async function getLimitSettings(
  db: Db,
  args: { orgId: string },
): Promise<LimitSettingsView> {
  const [row] = await db
    .select()
    .from(orgLimitSettings)
    .where(eq(orgLimitSettings.orgId, args.orgId))
    .limit(1);
  if (!row) return { ...DEFAULT_LIMIT_SETTINGS, updatedAt: null };
  return {
    allowUnpricedUnderHardBudget: row.allowUnpricedUnderHardBudget,
    budgetAlertWebhookUrl: row.budgetAlertWebhookUrl,
    webhookSecretVersion: row.webhookSecretVersion,
    cacheDefault: row.cacheDefault,
    cacheTtlSeconds: row.cacheTtlSeconds,
    semanticCache: row.semanticCache,
    semanticThreshold: row.semanticThreshold,
    updatedAt: row.updatedAt,
  };
}
