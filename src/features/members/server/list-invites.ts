import { desc, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { invites, users, type Role } from "~/server/db/schema";
import { inviteStatus, type InviteStatus } from "./lookup-invite";

export interface InviteListItem {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  invitedBy: string | null;
  status: InviteStatus;
}

export async function listInvites(db: Db, args: { orgId: string }): Promise<InviteListItem[]> {
  const rows = await db
    .select({
      id: invites.id,
      email: invites.email,
      role: invites.role,
      createdAt: invites.createdAt,
      expiresAt: invites.expiresAt,
      acceptedAt: invites.acceptedAt,
      revokedAt: invites.revokedAt,
      invitedBy: users.email,
    })
    .from(invites)
    .leftJoin(users, eq(users.id, invites.invitedByUserId))
    .where(eq(invites.orgId, args.orgId))
    .orderBy(desc(invites.createdAt))
    .limit(500);
  const now = new Date();
  return rows.map(({ acceptedAt, revokedAt, ...row }) => ({
    ...row,
    status: inviteStatus({ acceptedAt, revokedAt, expiresAt: row.expiresAt }, now),
  }));
}
