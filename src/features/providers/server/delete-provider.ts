import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgProviders } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgProviders } from "~/server/providers/provider-directory";

/** Removes one of the org's providers (and its encrypted key with it). */
export async function deleteProvider(
  db: Db,
  args: { orgId: string; actor: Actor; input: { id: string } },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(orgProviders)
      .where(and(eq(orgProviders.id, args.input.id), eq(orgProviders.orgId, args.orgId)))
      .returning({ id: orgProviders.id, name: orgProviders.name, type: orgProviders.type });
    if (!row) throw new DomainError("NOT_FOUND", "No provider with that id in this organization.");
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "provider.delete",
      targetType: "provider",
      targetId: row.id,
      summary: `Deleted provider ${row.name} (${row.type})`,
    });
  });
  invalidateOrgProviders(args.orgId);
}
