import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { memberships, organizations } from "~/server/db/schema";
import { hasScope, type Scope } from "~/server/auth/scopes";
import { DomainError } from "~/server/domain/domain-error";

/**
 * The org named by `slug` if `userId` is a member whose role grants `scope` — the same rule as
 * tRPC's scopedProcedure, for plain route handlers. A non-member gets NOT_FOUND (org existence
 * does not leak across tenants); a member without the scope FORBIDDEN.
 */
export async function resolveOrgAccess(
  db: Db,
  args: { userId: string; slug: string; scope: Scope },
): Promise<{ id: string; slug: string; name: string }> {
  const [row] = await db
    .select({
      id: organizations.id,
      slug: organizations.slug,
      name: organizations.name,
      role: memberships.role,
    })
    .from(organizations)
    .innerJoin(memberships, eq(memberships.orgId, organizations.id))
    .where(and(eq(organizations.slug, args.slug), eq(memberships.userId, args.userId)))
    .limit(1);
  if (!row) throw new DomainError("NOT_FOUND", "Organization not found.");
  if (!hasScope(row.role, args.scope)) {
    throw new DomainError("FORBIDDEN", `Your role (${row.role}) does not allow ${args.scope}.`);
  }
  return { id: row.id, slug: row.slug, name: row.name };
}
