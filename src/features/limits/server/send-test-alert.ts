import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { organizations } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { alertPayload } from "~/server/limits-config/alert-payload";
import { sendWebhook, type WebhookOutcome } from "~/server/limits-config/alert-webhook";
import { webhookSigningSecret } from "~/server/limits-config/webhook-signing";
import { getLimitSettings } from "./get-limit-settings";
import { resolveLimitsEnvironment, type LimitsEnvironment } from "./limits-environment";

/**
 * POSTs a sample alert (`type: "budget.test"`, signed like real ones) to the org's saved webhook
 * URL and says whether it arrived. Nothing is recorded as an alert.
 */
export async function sendTestAlert(
  db: Db,
  args: { orgId: string; actor: Actor; env?: LimitsEnvironment },
): Promise<WebhookOutcome> {
  const settings = await getLimitSettings(db, { orgId: args.orgId });
  const url = settings.budgetAlertWebhookUrl;
  if (!url) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      "Save a webhook URL first, then send a test alert.",
    );
  }
  const [org] = await db
    .select({ slug: organizations.slug })
    .from(organizations)
    .where(eq(organizations.id, args.orgId))
    .limit(1);
  const now = new Date();
  const body = JSON.stringify(
    alertPayload({
      type: "budget.test",
      id: null,
      createdAt: now,
      org: { id: args.orgId, slug: org?.slug ?? "" },
      budget: {
        id: null,
        scope: "org",
        keyId: null,
        period: "monthly",
        hard: false,
        amountMicros: 100_000_000,
      },
      thresholdPct: 80,
      spentMicros: 80_000_000,
      periodStart: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
      endUser: null,
    }),
  );
  const e = resolveLimitsEnvironment(args.env);
  const outcome = await sendWebhook(url, body, {
    secret: webhookSigningSecret(e.instanceSecret, args.orgId, settings.webhookSecretVersion),
    allowPrivate: e.allowPrivate,
    fetch: e.fetch,
    resolve: e.resolve,
  });
  await recordAuditEvent(db, {
    orgId: args.orgId,
    actor: args.actor,
    action: "limit_settings.test_webhook",
    targetType: "org_settings",
    targetId: args.orgId,
    summary:
      outcome.status === "sent"
        ? `Sent a test budget alert (HTTP ${outcome.httpStatus})`
        : `Test budget alert failed: ${outcome.error}`,
  });
  return outcome;
}
