import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { modelPrices } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { invalidatePriceOverrides } from "~/server/pricing/price-overrides-cache";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";

/** Removes one of the org's custom prices: the model goes back to the catalog price (or unpriced). */
export async function removeModelPrice(
  db: Db,
  args: { orgId: string; actor: Actor; input: { id: string } },
): Promise<void> {
  await db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(modelPrices)
      .where(and(eq(modelPrices.id, args.input.id), eq(modelPrices.orgId, args.orgId)))
      .returning({ id: modelPrices.id, model: modelPrices.model });
    if (!removed) throw new DomainError("NOT_FOUND", "No custom price with that id in this organization.");
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "model_price.remove",
      targetType: "model_price",
      targetId: removed.id,
      summary: `Removed the custom price of ${removed.model}`,
    });
  });
  invalidatePriceOverrides(db, args.orgId);
}
