import { asc, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { modelPrices } from "~/server/db/schema";
import { toModelPriceView, type ModelPriceView } from "./model-price-view";

/** The org's custom model prices, by model name. */
export async function listModelPrices(db: Db, args: { orgId: string }): Promise<ModelPriceView[]> {
  const rows = await db
    .select()
    .from(modelPrices)
    .where(eq(modelPrices.orgId, args.orgId))
    .orderBy(asc(modelPrices.model))
    .limit(1000);
  return rows.map(toModelPriceView);
}
