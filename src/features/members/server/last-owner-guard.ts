import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { memberships } from "~/server/db/schema";
import { DomainError } from "~/server/domain/domain-error";

/**
 * Refuses a change that would leave the org without an owner. Locks the org's owner rows
 * (FOR UPDATE) so two owners demoting each other concurrently cannot both succeed.
 * Call inside the transaction that makes the change.
 */
export async function assertOwnerRemains(
  tx: Db,
  args: { orgId: string; losingOwnerMembershipId: string; what: string },
): Promise<void> {
  const owners = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.orgId, args.orgId), eq(memberships.role, "owner")))
    .for("update");
  const remaining = owners.filter((o) => o.id !== args.losingOwnerMembershipId);
  if (remaining.length === 0) {
    throw new DomainError(
      "PRECONDITION_FAILED",
      `${args.what}: an organization needs at least one owner. Make someone else an owner first.`,
    );
  }
}
