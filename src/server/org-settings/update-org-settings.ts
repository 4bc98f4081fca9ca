import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgSettings } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { DEFAULT_ORG_SETTINGS, invalidateOrgSettings } from "./org-settings-reader";
import type { OrgSettingsView } from "./get-org-settings";

/**
 * Changes the org's switches (today: whether request logs keep bodies). Applies at once on this
 * instance; other instances follow within the settings cache TTL (seconds).
 */
export async function updateOrgSettings(
  db: Db,
  args: { orgId: string; actor: Actor; input: { storeBodies: boolean } },
): Promise<OrgSettingsView> {
  const { storeBodies } = args.input;
  const row = await db.transaction(async (tx) => {
    const [before] = await tx
      .select({ storeBodies: orgSettings.storeBodies })
      .from(orgSettings)
      .where(eq(orgSettings.orgId, args.orgId))
      .for("update");
    const previous = before?.storeBodies ?? DEFAULT_ORG_SETTINGS.storeBodies;
    const now = new Date();
    const [saved] = await tx
      .insert(orgSettings)
      .values({ orgId: args.orgId, storeBodies, updatedAt: now })
      .onConflictDoUpdate({ target: orgSettings.orgId, set: { storeBodies, updatedAt: now } })
      .returning({ storeBodies: orgSettings.storeBodies, updatedAt: orgSettings.updatedAt });
    if (previous !== storeBodies) {
      await recordAuditEvent(tx, {
        orgId: args.orgId,
        actor: args.actor,
        action: "org_settings.update",
        targetType: "org_settings",
        targetId: args.orgId,
        summary: storeBodies
          ? "Turned on storing request and response bodies in request logs"
          : "Turned off storing request and response bodies in request logs",
        changes: { storeBodies: { from: previous, to: storeBodies } },
      });
    }
    return saved!;
  });
  invalidateOrgSettings(db, args.orgId);
  return row;
}
