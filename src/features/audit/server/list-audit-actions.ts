import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { auditEvents } from "~/server/db/schema";

/** Distinct actions recorded in an org, for the Audit page's filter. */
export async function listAuditActions(db: Db, args: { orgId: string }): Promise<string[]> {
  const rows = await db
    .selectDistinct({ action: auditEvents.action })
    .from(auditEvents)
    .where(eq(auditEvents.orgId, args.orgId))
    .orderBy(auditEvents.action);
  return rows.map((r) => r.action);
}
