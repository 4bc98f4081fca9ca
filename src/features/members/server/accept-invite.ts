import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "~/server/db";
import { invites, memberships, organizations } from "~/server/db/schema";
import { userActor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { newId } from "~/lib/ids";
import { sha256Hex } from "~/lib/token-hash";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";

/**
 * Accepts an invite for the signed-in user. Single use: the invite is claimed with one conditional
 * UPDATE, so two concurrent accepts cannot both succeed. The user's email must match the invite.
 */
export async function acceptInvite(
  db: Db,
  args: { user: { id: string; email: string }; input: { token: string } },
): Promise<{ orgSlug: string }> {
  const tokenHash = sha256Hex(args.input.token);
  return db.transaction(async (tx) => {
    const [invite] = await tx.select().from(invites).where(eq(invites.tokenHash, tokenHash));
    if (!invite) throw new DomainError("NOT_FOUND", "This invite link is not valid.");
    if (invite.email !== args.user.email.toLowerCase()) {
      throw new DomainError(
        "FORBIDDEN",
        `This invite was sent to ${invite.email}; you are signed in as ${args.user.email}.`,
      );
    }
    const now = new Date();
    const [claimed] = await tx
      .update(invites)
      .set({ acceptedAt: now, acceptedByUserId: args.user.id })
      .where(
        and(
          eq(invites.id, invite.id),
          isNull(invites.acceptedAt),
          isNull(invites.revokedAt),
          gt(invites.expiresAt, now),
        ),
      )
      .returning({ id: invites.id });
    if (!claimed) {
      throw new DomainError("BAD_REQUEST", "This invite has already been used, was revoked, or expired.");
    }
    const [org] = await tx
      .select({ slug: organizations.slug })
      .from(organizations)
      .where(eq(organizations.id, invite.orgId));
    const [existing] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.orgId, invite.orgId), eq(memberships.userId, args.user.id)));
    if (existing) throw new DomainError("CONFLICT", "You are already a member of this organization.");
    await tx.insert(memberships).values({
      id: newId("mem"),
      orgId: invite.orgId,
      userId: args.user.id,
      role: invite.role,
    });
    await recordAuditEvent(tx, {
      orgId: invite.orgId,
      actor: userActor(args.user),
      action: "member.join",
      targetType: "member",
      targetId: args.user.id,
      summary: `${args.user.email} accepted an invite as ${invite.role}`,
    });
    return { orgSlug: org!.slug };
  });
}
