import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { memberships, type Role } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { canAssignRole } from "~/server/auth/scopes";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { assertOwnerRemains } from "./last-owner-guard";
import { findMembership } from "./find-membership";

/**
 * Removes a member (or, with `self`, the caller leaves). Admins cannot remove owners; the last
 * owner can neither be removed nor leave.
 */
export async function removeMember(
  db: Db,
  args: {
    orgId: string;
    actor: Actor;
    actorRole: Role;
    input: { memberId: string } | { self: true; userId: string };
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    let memberId: string;
    if ("self" in args.input) {
      const [own] = await tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.orgId, args.orgId), eq(memberships.userId, args.input.userId)));
      if (!own) throw new DomainError("NOT_FOUND", "You are not a member of this organization.");
      memberId = own.id;
    } else {
      memberId = args.input.memberId;
    }
    const member = await findMembership(tx, { orgId: args.orgId, memberId });
    const leaving = "self" in args.input;
    if (!leaving && !canAssignRole(args.actorRole, member.role)) {
      throw new DomainError("FORBIDDEN", `Your role (${args.actorRole}) cannot remove an owner.`);
    }
    if (member.role === "owner") {
      await assertOwnerRemains(tx, {
        orgId: args.orgId,
        losingOwnerMembershipId: member.id,
        what: leaving ? "You cannot leave" : `Cannot remove ${member.email}`,
      });
    }
    await tx.delete(memberships).where(eq(memberships.id, member.id));
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: leaving ? "member.leave" : "member.remove",
      targetType: "member",
      targetId: member.id,
      summary: leaving ? `${member.email} left the organization` : `Removed ${member.email} (${member.role})`,
    });
  });
}
