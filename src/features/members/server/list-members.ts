import { asc, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { memberships, users, type Role } from "~/server/db/schema";

export interface MemberListItem {
  id: string;
  userId: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: Date;
}

export async function listMembers(db: Db, args: { orgId: string }): Promise<MemberListItem[]> {
  return db
    .select({
      id: memberships.id,
      userId: memberships.userId,
      email: users.email,
      name: users.name,
      role: memberships.role,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, args.orgId))
    .orderBy(asc(memberships.createdAt));
}
