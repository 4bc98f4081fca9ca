import { and, eq } from "drizzle-orm";
import { env } from "~/env";
import type { BudgetRule } from "~/gateway/limits/types";
import { logger as defaultLogger } from "~/lib/logger";
import { randomBase62 } from "~/lib/ids";
import type { Db } from "~/server/db";
import { budgetAlerts, budgets, organizations, orgLimitSettings } from "~/server/db/schema";
import type { WebhookStatus } from "~/server/db/schema";
import { alertPayload } from "./alert-payload";
import { sendWebhook, type WebhookFetch } from "./alert-webhook";
import { webhookSigningSecret } from "./webhook-signing";
import type { WebhookHostResolver } from "./webhook-url-policy";

/** What the limits engine reports when a settle moves a budget across one of its thresholds. */
export interface BudgetAlertEvent {
  budget: Pick<BudgetRule, "id"> & Partial<BudgetRule>;
  orgId: string;
  keyId: string | null;
  endUser: string | null;
  thresholdPct: number;
  spentMicros: number;
  amountMicros: number;
  /** Start of the budget period (ms since the epoch, or a Date). */
  periodStart: number | Date;
}

export interface BudgetAlertSinkOptions {
  /** Whether webhooks may go to private, loopback, link-local and metadata addresses. */
  allowPrivate: boolean;
  fetch?: WebhookFetch;
  resolve?: WebhookHostResolver;
  /** Secret the per-org signing secrets derive from (default: SWITCHYARD_ENCRYPTION_KEY). */
  instanceSecret?: string;
  timeoutMs?: number;
  retryDelayMs?: number;
  logger?: Pick<typeof defaultLogger, "warn" | "error">;
}

export interface BudgetAlertResult {
  alertId: string;
  webhook: WebhookStatus;
}

export type BudgetAlertSink = (event: BudgetAlertEvent) => Promise<BudgetAlertResult | null>;

export function newAlertId(): string {
  return `bal_${randomBase62(20)}`;
}

/**
 * The callback the limits engine calls on a crossed threshold: records a `budget_alerts` row and,
 * when the org set a webhook URL, POSTs the signed alert to it (see alert-webhook.ts) and records
 * whether it was delivered. Once per budget, period, threshold and end user even when two
 * instances report the same crossing (a unique index; the loser sends nothing). Never throws:
 * alerts are advice and must not disturb requests; failures are logged. Resolves to null when
 * nothing was recorded (unknown budget, another org's budget, a duplicate).
 */
export function createBudgetAlertSink(db: Db, options: BudgetAlertSinkOptions): BudgetAlertSink {
  const log = options.logger ?? defaultLogger;
  return async (event) => {
    try {
      const [budget] = await db
        .select({
          id: budgets.id,
          scope: budgets.scope,
          keyId: budgets.keyId,
          period: budgets.period,
          hard: budgets.hard,
          orgSlug: organizations.slug,
        })
        .from(budgets)
        .innerJoin(organizations, eq(organizations.id, budgets.orgId))
        .where(and(eq(budgets.id, event.budget.id), eq(budgets.orgId, event.orgId)))
        .limit(1);
      if (!budget) {
        log.warn("budget alert for an unknown budget; dropped", {
          orgId: event.orgId,
          budgetId: event.budget.id,
        });
        return null;
      }
      const periodStart = new Date(event.periodStart);
      const createdAt = new Date();
      const [row] = await db
        .insert(budgetAlerts)
        .values({
          id: newAlertId(),
          orgId: event.orgId,
          budgetId: budget.id,
          thresholdPct: event.thresholdPct,
          spentMicros: Math.round(event.spentMicros),
          amountMicros: Math.round(event.amountMicros),
          periodStart,
          endUser: budget.scope === "user" ? event.endUser : null,
          createdAt,
        })
        .onConflictDoNothing()
        .returning({ id: budgetAlerts.id });
      if (!row) return null;

      // Read fresh (not the gateway's cache): a URL removed a second ago is not called.
      const [settings] = await db
        .select({
          url: orgLimitSettings.budgetAlertWebhookUrl,
          version: orgLimitSettings.webhookSecretVersion,
        })
        .from(orgLimitSettings)
        .where(eq(orgLimitSettings.orgId, event.orgId))
        .limit(1);
      if (!settings?.url) return { alertId: row.id, webhook: "none" };

      const body = JSON.stringify(
        alertPayload({
          type: "budget.threshold_crossed",
          id: row.id,
          createdAt,
          org: { id: event.orgId, slug: budget.orgSlug },
          budget: {
            id: budget.id,
            scope: budget.scope,
            keyId: budget.keyId,
            period: budget.period,
            hard: budget.hard,
            amountMicros: Math.round(event.amountMicros),
          },
          thresholdPct: event.thresholdPct,
          spentMicros: Math.round(event.spentMicros),
          periodStart,
          endUser: budget.scope === "user" ? event.endUser : null,
        }),
      );
      const outcome = await sendWebhook(settings.url, body, {
        secret: webhookSigningSecret(
          options.instanceSecret ?? env().SWITCHYARD_ENCRYPTION_KEY,
          event.orgId,
          settings.version,
        ),
        allowPrivate: options.allowPrivate,
        fetch: options.fetch,
        resolve: options.resolve,
        timeoutMs: options.timeoutMs,
        retryDelayMs: options.retryDelayMs,
      });
      await db
        .update(budgetAlerts)
        .set({
          webhookStatus: outcome.status,
          webhookError: outcome.status === "failed" ? outcome.error.slice(0, 500) : null,
        })
        .where(and(eq(budgetAlerts.id, row.id), eq(budgetAlerts.orgId, event.orgId)));
      if (outcome.status === "failed") {
        log.warn("budget alert webhook failed", { orgId: event.orgId, error: outcome.error });
      }
      return { alertId: row.id, webhook: outcome.status };
    } catch (err) {
      log.error("budget alert could not be recorded", {
        orgId: event.orgId,
        budgetId: event.budget.id,
        error: err instanceof Error ? err.message : String(err),
      });
      return null;
    }
  };
}
