import { asc, gt } from "drizzle-orm";
import type { Db } from "~/server/db";
import { organizations } from "~/server/db/schema";

/**
 * One page of org ids in id order (keyset paging): maintenance jobs walk every org a page at a
 * time, so the work of one step stays bounded however many orgs there are.
 */
export async function listOrgIdsPage(
  db: Db,
  args: { afterOrgId: string | null; limit: number },
): Promise<{ orgIds: string[]; nextAfterOrgId: string | null }> {
  const rows = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(args.afterOrgId === null ? undefined : gt(organizations.id, args.afterOrgId))
    .orderBy(asc(organizations.id))
    .limit(args.limit);
  const orgIds = rows.map((r) => r.id);
  return {
    orgIds,
    nextAfterOrgId: orgIds.length < args.limit ? null : orgIds[orgIds.length - 1]!,
  };
}
