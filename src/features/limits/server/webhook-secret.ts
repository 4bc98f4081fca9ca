import { sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgLimitSettings } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgLimits } from "~/server/limits-config/limits-directory";
import { webhookSigningSecret } from "~/server/limits-config/webhook-signing";
import { getLimitSettings } from "./get-limit-settings";
import { resolveLimitsEnvironment, type LimitsEnvironment } from "./limits-environment";

/** The org's current webhook signing secret (see webhook-signing.ts), for people setting up a receiver. */
export async function revealWebhookSecret(
  db: Db,
  args: { orgId: string; actor: Actor; env?: LimitsEnvironment },
): Promise<{ secret: string; version: number }> {
  const settings = await getLimitSettings(db, { orgId: args.orgId });
  await recordAuditEvent(db, {
    orgId: args.orgId,
    actor: args.actor,
    action: "limit_settings.reveal_webhook_secret",
    targetType: "org_settings",
    targetId: args.orgId,
    summary: "Revealed the budget-alert webhook signing secret",
  });
  const { instanceSecret } = resolveLimitsEnvironment(args.env);
  return {
    secret: webhookSigningSecret(instanceSecret, args.orgId, settings.webhookSecretVersion),
    version: settings.webhookSecretVersion,
  };
}

/** Replaces the signing secret: the previous one stops verifying at once. Returns the new one. */
export async function rotateWebhookSecret(
  db: Db,
  args: { orgId: string; actor: Actor; env?: LimitsEnvironment },
): Promise<{ secret: string; version: number }> {
  const version = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(orgLimitSettings)
      .values({ orgId: args.orgId, webhookSecretVersion: 2 })
      .onConflictDoUpdate({
        target: orgLimitSettings.orgId,
        set: {
          webhookSecretVersion: sql`${orgLimitSettings.webhookSecretVersion} + 1`,
          updatedAt: new Date(),
        },
      })
      .returning({ version: orgLimitSettings.webhookSecretVersion });
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "limit_settings.rotate_webhook_secret",
      targetType: "org_settings",
      targetId: args.orgId,
      summary: `Rotated the budget-alert webhook signing secret (version ${row!.version})`,
      changes: { webhookSecretVersion: { from: row!.version - 1, to: row!.version } },
    });
    return row!.version;
  });
  invalidateOrgLimits(args.orgId);
  const { instanceSecret } = resolveLimitsEnvironment(args.env);
  return { secret: webhookSigningSecret(instanceSecret, args.orgId, version), version };
}
