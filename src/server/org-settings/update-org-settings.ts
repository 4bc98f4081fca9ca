import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgSettings } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { DEFAULT_ORG_SETTINGS, invalidateOrgSettings } from "./org-settings-reader";
import type { OrgSettingsView } from "./get-org-settings";
import { DEFAULT_REQUEST_LOG_RETENTION_DAYS, retentionText } from "./request-log-retention";

export interface UpdateOrgSettingsInput {
  storeBodies?: boolean;
  /** Validated at the boundary (requestLogRetentionDaysSchema). */
  requestLogRetentionDays?: number;
}

/**
 * Changes the org's switches (whether request logs keep bodies; how long they are kept); fields
 * left out keep their value. Applies at once on this instance; other instances follow within the
 * settings cache TTL (seconds).
 */
export async function updateOrgSettings(
  db: Db,
  args: { orgId: string; actor: Actor; input: UpdateOrgSettingsInput },
): Promise<OrgSettingsView> {
  const row = await db.transaction(async (tx) => {
    const [before] = await tx
      .select({
        storeBodies: orgSettings.storeBodies,
        requestLogRetentionDays: orgSettings.requestLogRetentionDays,
      })
      .from(orgSettings)
      .where(eq(orgSettings.orgId, args.orgId))
      .for("update");
    const previous = {
      storeBodies: before?.storeBodies ?? DEFAULT_ORG_SETTINGS.storeBodies,
      requestLogRetentionDays:
        before?.requestLogRetentionDays ?? DEFAULT_REQUEST_LOG_RETENTION_DAYS,
    };
    const next = {
      storeBodies: args.input.storeBodies ?? previous.storeBodies,
      requestLogRetentionDays:
        args.input.requestLogRetentionDays ?? previous.requestLogRetentionDays,
    };
    const now = new Date();
    const [saved] = await tx
      .insert(orgSettings)
      .values({ orgId: args.orgId, ...next, updatedAt: now })
      .onConflictDoUpdate({ target: orgSettings.orgId, set: { ...next, updatedAt: now } })
      .returning({
        storeBodies: orgSettings.storeBodies,
        requestLogRetentionDays: orgSettings.requestLogRetentionDays,
        updatedAt: orgSettings.updatedAt,
      });
    if (previous.storeBodies !== next.storeBodies) {
      await recordAuditEvent(tx, {
        orgId: args.orgId,
        actor: args.actor,
        action: "org_settings.update",
        targetType: "org_settings",
        targetId: args.orgId,
        summary: next.storeBodies
          ? "Turned on storing request and response bodies in request logs"
          : "Turned off storing request and response bodies in request logs",
        changes: { storeBodies: { from: previous.storeBodies, to: next.storeBodies } },
      });
    }
    if (previous.requestLogRetentionDays !== next.requestLogRetentionDays) {
      await recordAuditEvent(tx, {
        orgId: args.orgId,
        actor: args.actor,
        action: "org_settings.update",
        targetType: "org_settings",
        targetId: args.orgId,
        summary: `Changed request-log retention from ${retentionText(previous.requestLogRetentionDays)} to ${retentionText(next.requestLogRetentionDays)}`,
        changes: {
          requestLogRetentionDays: {
            from: previous.requestLogRetentionDays,
            to: next.requestLogRetentionDays,
          },
        },
      });
    }
    return saved!;
  });
  invalidateOrgSettings(db, args.orgId);
  return row;
}
