import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { invites, memberships, users, type Role } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { canAssignRole } from "~/server/auth/scopes";
import { newId, randomBase62 } from "~/lib/ids";
import { sha256Hex } from "~/lib/token-hash";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";

export interface CreatedInvite {
  id: string;
  token: string;
  expiresAt: Date;
}

/**
 * Creates a single-use invite. The token is returned once (for the link) and stored only as a
 * hash. Inviting with a role above one's own is refused.
 */
export async function createInvite(
  db: Db,
  args: {
    orgId: string;
    actor: Actor;
    actorRole: Role;
    ttlHours: number;
    input: { email: string; role: Role };
  },
): Promise<CreatedInvite> {
  const { input } = args;
  if (!canAssignRole(args.actorRole, input.role)) {
    throw new DomainError("FORBIDDEN", `Your role (${args.actorRole}) cannot invite ${input.role}s.`);
  }
  const [member] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, args.orgId), eq(users.email, input.email)));
  if (member) throw new DomainError("CONFLICT", `${input.email} is already a member.`);

  const token = randomBase62(32);
  const invite = {
    id: newId("inv"),
    orgId: args.orgId,
    email: input.email,
    role: input.role,
    tokenHash: sha256Hex(token),
    invitedByUserId: args.actor.id,
    expiresAt: new Date(Date.now() + args.ttlHours * 3_600_000),
  };
  await db.transaction(async (tx) => {
    await tx.insert(invites).values(invite);
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "invite.create",
      targetType: "invite",
      targetId: invite.id,
      summary: `Invited ${input.email} as ${input.role}`,
      changes: { email: input.email, role: input.role, expiresAt: invite.expiresAt.toISOString() },
    });
  });
  return { id: invite.id, token, expiresAt: invite.expiresAt };
}
