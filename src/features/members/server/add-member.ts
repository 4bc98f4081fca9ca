import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { memberships, users, type Role } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { newId } from "~/lib/ids";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";

/** Adds an existing user to an org directly (instance admin path: the CLI). */
export async function addMember(
  db: Db,
  args: { orgId: string; actor: Actor; input: { email: string; role: Role } },
): Promise<{ id: string; userId: string; email: string; role: Role }> {
  const { email, role } = args.input;
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (!user) {
    throw new DomainError("NOT_FOUND", `No user with email ${email}. Create one first (users create).`);
  }
  const [existing] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.orgId, args.orgId), eq(memberships.userId, user.id)));
  if (existing) throw new DomainError("CONFLICT", `${email} is already a member of this organization.`);
  const member = { id: newId("mem"), orgId: args.orgId, userId: user.id, role };
  await db.transaction(async (tx) => {
    await tx.insert(memberships).values(member);
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "member.add",
      targetType: "member",
      targetId: member.id,
      summary: `Added ${email} as ${role}`,
      changes: { email, role },
    });
  });
  return { id: member.id, userId: user.id, email, role };
}
