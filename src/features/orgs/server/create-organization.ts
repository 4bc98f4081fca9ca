import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { memberships, organizations } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { newId, randomBase62 } from "~/lib/ids";
import { RESERVED_SLUGS, slugify } from "~/lib/slug";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import type { CreateOrgInput } from "../schemas";

export interface OrgSummary {
  id: string;
  slug: string;
  name: string;
}

async function slugTaken(db: Db, slug: string): Promise<boolean> {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.slug, slug))
    .limit(1);
  return Boolean(row) || RESERVED_SLUGS.has(slug);
}

/**
 * Creates an organization. With an `ownerUserId` that user becomes its owner. An explicit slug
 * must be free; a derived one gets a random suffix when taken.
 */
export async function createOrganization(
  db: Db,
  args: { actor: Actor; ownerUserId: string | null; input: CreateOrgInput },
): Promise<OrgSummary> {
  const { input } = args;
  let slug = input.slug ?? slugify(input.name);
  if (await slugTaken(db, slug)) {
    if (input.slug) throw new DomainError("CONFLICT", `The slug "${slug}" is already taken.`);
    do slug = `${slugify(input.name).slice(0, 40)}-${randomBase62(6).toLowerCase()}`;
    while (await slugTaken(db, slug));
  }
  const org = { id: newId("org"), slug, name: input.name };
  await db.transaction(async (tx) => {
    await tx.insert(organizations).values(org);
    if (args.ownerUserId) {
      await tx
        .insert(memberships)
        .values({ id: newId("mem"), orgId: org.id, userId: args.ownerUserId, role: "owner" });
    }
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor: args.actor,
      action: "org.create",
      targetType: "org",
      targetId: org.id,
      summary: `Created organization ${org.name} (${org.slug})`,
    });
  }).catch((err: unknown) => {
    // Two creators racing for one slug: the unique index decides.
    if (String((err as { message?: string })?.message).includes("organizations_slug_unique")) {
      throw new DomainError("CONFLICT", `The slug "${slug}" is already taken.`);
    }
    throw err;
  });
  return org;
}
