import { asc, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { memberships, organizations, type Role } from "~/server/db/schema";

/** The organizations a user belongs to, with their role in each. */
export async function listUserOrganizations(
  db: Db,
  args: { userId: string },
): Promise<{ slug: string; name: string; role: Role }[]> {
  return db
    .select({ slug: organizations.slug, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, args.userId))
    .orderBy(asc(memberships.createdAt));
}
