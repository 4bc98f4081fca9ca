import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { memberships, type Role } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { canAssignRole } from "~/server/auth/scopes";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { assertOwnerRemains } from "./last-owner-guard";
import { findMembership } from "./find-membership";

/** Changes a member's role. Admins cannot touch owners or make owners; the last owner stays. */
export async function changeMemberRole(
  db: Db,
  args: { orgId: string; actor: Actor; actorRole: Role; input: { memberId: string; role: Role } },
): Promise<void> {
  await db.transaction(async (tx) => {
    const member = await findMembership(tx, { orgId: args.orgId, memberId: args.input.memberId });
    if (!canAssignRole(args.actorRole, member.role) || !canAssignRole(args.actorRole, args.input.role)) {
      throw new DomainError("FORBIDDEN", `Your role (${args.actorRole}) cannot change owners or make owners.`);
    }
    if (member.role === args.input.role) return;
    if (member.role === "owner") {
      await assertOwnerRemains(tx, {
        orgId: args.orgId,
        losingOwnerMembershipId: member.id,
        what: `Cannot demote ${member.email}`,
      });
    }
    await tx.update(memberships).set({ role: args.input.role }).where(eq(memberships.id, member.id));
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "member.change_role",
      targetType: "member",
      targetId: member.id,
      summary: `Changed ${member.email} from ${member.role} to ${args.input.role}`,
      changes: { role: { from: member.role, to: args.input.role } },
    });
  });
}
