import type { ModelPriceLookup } from "~/gateway/ports";
import { findCatalogPrice } from "./catalog-price";
import type { TokenPrice } from "./compute-cost";

/** The flat (or base-tier) price as a float, for ordering targets only; never for billing. */
function approx(price: TokenPrice): number {
  const f = "tiers" in price ? price.base : price;
  return Number(f.num) / Number(f.den);
}

/**
 * Prices for `lowest-cost` routes: $ per 1M input tokens + $ per 1M output tokens from the bundled
 * catalog (memoized there), null for a model it does not know (tried last). Org price overrides
 * are not consulted: a route orders targets the same way for every org that shares it.
 */
export const catalogModelPrices: ModelPriceLookup = {
  async priceOf(provider, model) {
    const match = await findCatalogPrice({
      providerType: provider.type,
      providerId: provider.id,
      model,
    });
    return match ? approx(match.sheet.input) + approx(match.sheet.output) : null;
  },
};
