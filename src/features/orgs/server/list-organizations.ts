import { asc, count, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { memberships, organizations } from "~/server/db/schema";

/** Every organization on the instance (instance-admin view: the CLI). */
export async function listOrganizations(db: Db) {
  return db
    .select({
      id: organizations.id,
      slug: organizations.slug,
      name: organizations.name,
      createdAt: organizations.createdAt,
      memberCount: count(memberships.id),
    })
    .from(organizations)
    .leftJoin(memberships, eq(memberships.orgId, organizations.id))
    .groupBy(organizations.id)
    .orderBy(asc(organizations.createdAt));
}
