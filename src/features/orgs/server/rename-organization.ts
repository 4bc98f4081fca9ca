import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { organizations } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";

/** Renames the org's display name; the slug (in URLs and the CLI) stays. */
export async function renameOrganization(
  db: Db,
  args: { orgId: string; actor: Actor; input: { name: string } },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, args.orgId));
    if (!org) throw new DomainError("NOT_FOUND", "Organization not found.");
    if (org.name === args.input.name) return;
    await tx.update(organizations).set({ name: args.input.name }).where(eq(organizations.id, org.id));
    await recordAuditEvent(tx, {
      orgId: org.id,
      actor: args.actor,
      action: "org.rename",
      targetType: "org",
      targetId: org.id,
      summary: `Renamed the organization from ${org.name} to ${args.input.name}`,
      changes: { name: { from: org.name, to: args.input.name } },
    });
  });
}
