import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgLimits } from "~/server/db/schema";
import { toOrgLimitView, type OrgLimitView } from "./org-limit-view";

/** The org-wide row first (when there is one), then per-model rows by model name. */
export async function listOrgLimits(db: Db, args: { orgId: string }): Promise<OrgLimitView[]> {
  const rows = await db
    .select()
    .from(orgLimits)
    .where(eq(orgLimits.orgId, args.orgId))
    .orderBy(sql`${orgLimits.model} is not null`, asc(orgLimits.model));
  return rows.map(toOrgLimitView);
}
