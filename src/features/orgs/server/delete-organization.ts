import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys, organizations } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { logger } from "~/lib/logger";

/**
 * Deletes an org and everything in it (members, invites, keys, audit log) — the caller must type
 * the slug to confirm. Returns the key hashes so the gateway's key cache can drop them at once.
 */
export async function deleteOrganization(
  db: Db,
  args: { orgId: string; actor: Actor; input: { confirmSlug: string } },
): Promise<{ revokedKeyHashes: string[] }> {
  return db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, args.orgId));
    if (!org) throw new DomainError("NOT_FOUND", "Organization not found.");
    if (args.input.confirmSlug.trim() !== org.slug) {
      throw new DomainError("BAD_REQUEST", `Type the organization's slug (${org.slug}) to confirm.`);
    }
    const keys = await tx.select({ hash: apiKeys.hash }).from(apiKeys).where(eq(apiKeys.orgId, org.id));
    await tx.delete(organizations).where(eq(organizations.id, org.id));
    // The org's own audit log goes with it; the server log keeps the record.
    logger.info("organization deleted", { orgId: org.id, slug: org.slug, by: args.actor.label });
    return { revokedKeyHashes: keys.map((k) => k.hash) };
  });
}
