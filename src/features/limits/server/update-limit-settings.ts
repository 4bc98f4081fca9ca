import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgLimitSettings } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import {
  DEFAULT_LIMIT_SETTINGS,
  type OrgLimitSettingsValue,
} from "~/server/limits-config/limit-settings";
import { invalidateOrgLimits } from "~/server/limits-config/limits-directory";
import { webhookUrlProblem } from "~/server/limits-config/webhook-url-policy";
import type { UpdateLimitSettingsInput } from "../schemas";
import { getLimitSettings, type LimitSettingsView } from "./get-limit-settings";
import { resolveLimitsEnvironment, type LimitsEnvironment } from "./limits-environment";

type Editable = Omit<OrgLimitSettingsValue, "webhookSecretVersion">;
const EDITABLE: (keyof Editable)[] = [
  "allowUnpricedUnderHardBudget",
  "budgetAlertWebhookUrl",
  "cacheDefault",
  "cacheTtlSeconds",
  "semanticCache",
  "semanticThreshold",
];

/**
 * Changes the org's limit and cache settings (fields left out keep their value). A webhook URL is
 * refused when it points at a private, loopback, link-local or metadata address, unless this
 * instance allows those. Applies at once on this instance, within seconds on the others.
 */
export async function updateLimitSettings(
  db: Db,
  args: {
    orgId: string;
    actor: Actor;
    input: UpdateLimitSettingsInput;
    env?: LimitsEnvironment;
  },
): Promise<LimitSettingsView> {
  const { orgId, input } = args;
  if (input.budgetAlertWebhookUrl) {
    const e = resolveLimitsEnvironment(args.env);
    const problem = await webhookUrlProblem(input.budgetAlertWebhookUrl, {
      allowPrivate: e.allowPrivate,
      resolve: e.resolve,
    });
    if (problem) throw new DomainError("BAD_REQUEST", problem);
  }
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(orgLimitSettings)
      .where(eq(orgLimitSettings.orgId, orgId))
      .for("update");
    const before: Editable = row ?? DEFAULT_LIMIT_SETTINGS;
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const set: Partial<Editable> = {};
    for (const field of EDITABLE) {
      const value = input[field];
      if (value === undefined || value === before[field]) continue;
      changes[field] = { from: before[field], to: value };
      Object.assign(set, { [field]: value });
    }
    if (Object.keys(changes).length === 0) return;
    const now = new Date();
    await tx
      .insert(orgLimitSettings)
      .values({ orgId, ...set, updatedAt: now })
      .onConflictDoUpdate({ target: orgLimitSettings.orgId, set: { ...set, updatedAt: now } });
    await recordAuditEvent(tx, {
      orgId,
      actor: args.actor,
      action: "limit_settings.update",
      targetType: "org_settings",
      targetId: orgId,
      summary: `Changed limit and cache settings (${Object.keys(changes).join(", ")})`,
      changes,
    });
  });
  invalidateOrgLimits(orgId);
  return getLimitSettings(db, { orgId });
}
