import { and, eq, sql } from "drizzle-orm";
import { randomBase62 } from "~/lib/ids";
import type { Db } from "~/server/db";
import { modelPrices } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { dollarsToMicros } from "~/server/pricing/exact-decimal";
import { invalidatePriceOverrides } from "~/server/pricing/price-overrides-cache";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import type { SetModelPriceInput } from "../schemas";
import { microsToDollarText, toModelPriceView, type ModelPriceView } from "./model-price-view";

const MAX_PRICES_PER_ORG = 1000;

/**
 * Sets the org's own price for a model (creating or replacing it). It wins over the bundled
 * catalog for requests logged from now on; costs already recorded are not recomputed.
 */
export async function setModelPrice(
  db: Db,
  args: { orgId: string; actor: Actor; input: SetModelPriceInput },
): Promise<ModelPriceView> {
  const { input } = args;
  let prices: { input: bigint; output: bigint; cached: bigint | null };
  try {
    prices = {
      input: dollarsToMicros(input.inputPerMTok),
      output: dollarsToMicros(input.outputPerMTok),
      cached: input.cachedInputPerMTok ? dollarsToMicros(input.cachedInputPerMTok) : null,
    };
  } catch {
    throw new DomainError("BAD_REQUEST", "Prices are dollar amounts with at most 6 decimals.");
  }
  const row = await db.transaction(async (tx) => {
    // Same model, any letter case: one price per model (lookups ignore case).
    const [existing] = await tx
      .select()
      .from(modelPrices)
      .where(and(eq(modelPrices.orgId, args.orgId), sql`lower(${modelPrices.model}) = lower(${input.model})`))
      .for("update");
    let saved: typeof modelPrices.$inferSelect;
    if (existing) {
      [saved] = (await tx
        .update(modelPrices)
        .set({
          model: input.model,
          inputMicrosPerMTok: prices.input,
          outputMicrosPerMTok: prices.output,
          cachedInputMicrosPerMTok: prices.cached,
        })
        .where(and(eq(modelPrices.id, existing.id), eq(modelPrices.orgId, args.orgId)))
        .returning()) as [typeof modelPrices.$inferSelect];
    } else {
      const [{ n }] = (await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(modelPrices)
        .where(eq(modelPrices.orgId, args.orgId))) as [{ n: number }];
      if (n >= MAX_PRICES_PER_ORG) {
        throw new DomainError("BAD_REQUEST", `An organization can have at most ${MAX_PRICES_PER_ORG} custom prices.`);
      }
      [saved] = (await tx
        .insert(modelPrices)
        .values({
          id: `mpr_${randomBase62(20)}`,
          orgId: args.orgId,
          model: input.model,
          inputMicrosPerMTok: prices.input,
          outputMicrosPerMTok: prices.output,
          cachedInputMicrosPerMTok: prices.cached,
        })
        .returning()) as [typeof modelPrices.$inferSelect];
    }
    const describe = (micros: bigint | null) => (micros === null ? null : `$${microsToDollarText(micros)}`);
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "model_price.set",
      targetType: "model_price",
      targetId: saved.id,
      summary: `Set the price of ${saved.model}: ${describe(prices.input)} in / ${describe(prices.output)} out per 1M tokens`,
      changes: {
        model: saved.model,
        inputPerMTok: describe(prices.input),
        outputPerMTok: describe(prices.output),
        cachedInputPerMTok: describe(prices.cached),
        ...(existing
          ? {
              previous: {
                inputPerMTok: describe(existing.inputMicrosPerMTok),
                outputPerMTok: describe(existing.outputMicrosPerMTok),
                cachedInputPerMTok: describe(existing.cachedInputMicrosPerMTok),
              },
            }
          : {}),
      },
    });
    return saved;
  });
  invalidatePriceOverrides(db, args.orgId);
  return toModelPriceView(row);
}
