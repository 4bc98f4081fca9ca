import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { organizations } from "~/server/db/schema";
import { DomainError } from "~/server/domain/domain-error";

/** Instance-admin lookup (CLI). Console code resolves orgs through membership instead. */
export async function findOrganizationBySlug(db: Db, slug: string) {
  const [org] = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.slug, slug.trim().toLowerCase()));
  if (!org) throw new DomainError("NOT_FOUND", `No organization with slug "${slug}".`);
  return org;
}
