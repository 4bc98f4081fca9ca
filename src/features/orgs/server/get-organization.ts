import { count, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys, memberships, organizations } from "~/server/db/schema";
import { DomainError } from "~/server/domain/domain-error";

export async function getOrganization(db: Db, args: { orgId: string }) {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, args.orgId));
  if (!org) throw new DomainError("NOT_FOUND", "Organization not found.");
  const [members] = await db
    .select({ n: count() })
    .from(memberships)
    .where(eq(memberships.orgId, args.orgId));
  const [keys] = await db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.orgId, args.orgId));
  return { ...org, memberCount: members?.n ?? 0, keyCount: keys?.n ?? 0 };
}
