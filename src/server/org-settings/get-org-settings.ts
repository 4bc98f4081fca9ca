import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgSettings } from "~/server/db/schema";
import { DEFAULT_ORG_SETTINGS, type OrgSettingsValue } from "./org-settings-reader";
import { DEFAULT_REQUEST_LOG_RETENTION_DAYS } from "./request-log-retention";

export interface OrgSettingsView extends OrgSettingsValue {
  /** Days request logs are kept (0 = forever); see the retention job. */
  requestLogRetentionDays: number;
  /** null while the org still runs on the defaults. */
  updatedAt: Date | null;
}

/** The org's switches as stored (defaults when never changed), uncached: for the console. */
export async function getOrgSettings(db: Db, args: { orgId: string }): Promise<OrgSettingsView> {
  const [row] = await db
    .select({
      storeBodies: orgSettings.storeBodies,
      requestLogRetentionDays: orgSettings.requestLogRetentionDays,
      updatedAt: orgSettings.updatedAt,
    })
    .from(orgSettings)
    .where(eq(orgSettings.orgId, args.orgId))
    .limit(1);
  return (
    row ?? {
      ...DEFAULT_ORG_SETTINGS,
      requestLogRetentionDays: DEFAULT_REQUEST_LOG_RETENTION_DAYS,
      updatedAt: null,
    }
  );
}
