import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { invites, organizations, type Role } from "~/server/db/schema";
import { sha256Hex } from "~/lib/token-hash";

export type InviteStatus = "pending" | "accepted" | "expired" | "revoked";

export function inviteStatus(
  row: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date },
  now = new Date(),
): InviteStatus {
  if (row.acceptedAt) return "accepted";
  if (row.revokedAt) return "revoked";
  if (row.expiresAt <= now) return "expired";
  return "pending";
}

/** What an invite link shows before it is accepted. Unknown tokens → null. */
export async function lookupInvite(
  db: Db,
  args: { token: string },
): Promise<{ orgName: string; orgSlug: string; email: string; role: Role; status: InviteStatus } | null> {
  const [row] = await db
    .select({
      orgName: organizations.name,
      orgSlug: organizations.slug,
      email: invites.email,
      role: invites.role,
      acceptedAt: invites.acceptedAt,
      revokedAt: invites.revokedAt,
      expiresAt: invites.expiresAt,
    })
    .from(invites)
    .innerJoin(organizations, eq(organizations.id, invites.orgId))
    .where(eq(invites.tokenHash, sha256Hex(args.token)))
    .limit(1);
  if (!row) return null;
  return {
    orgName: row.orgName,
    orgSlug: row.orgSlug,
    email: row.email,
    role: row.role,
    status: inviteStatus(row),
  };
}
