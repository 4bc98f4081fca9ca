import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { memberships, users } from "~/server/db/schema";
import { DomainError } from "~/server/domain/domain-error";

/** A membership of this org by id (never another org's), with the member's email. */
export async function findMembership(tx: Db, args: { orgId: string; memberId: string }) {
  const [row] = await tx
    .select({
      id: memberships.id,
      userId: memberships.userId,
      role: memberships.role,
      email: users.email,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.id, args.memberId), eq(memberships.orgId, args.orgId)));
  if (!row) throw new DomainError("NOT_FOUND", "No member with that id in this organization.");
  return row;
}
