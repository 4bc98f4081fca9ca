import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "~/server/db";
import { invites } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";

export async function revokeInvite(
  db: Db,
  args: { orgId: string; actor: Actor; input: { inviteId: string } },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(invites)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(invites.id, args.input.inviteId),
          eq(invites.orgId, args.orgId),
          isNull(invites.acceptedAt),
          isNull(invites.revokedAt),
        ),
      )
      .returning({ id: invites.id, email: invites.email });
    if (!row) throw new DomainError("NOT_FOUND", "No pending invite with that id in this organization.");
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "invite.revoke",
      targetType: "invite",
      targetId: row.id,
      summary: `Revoked the invite for ${row.email}`,
    });
  });
}
