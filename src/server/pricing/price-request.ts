import type { Usage } from "~/providers/types";
import type { Db } from "~/server/db";
import { findCatalogPrice } from "./catalog-price";
import { computeCostMicros, type PriceSheet } from "./compute-cost";
import {
  DEFAULT_OVERRIDES_TTL_MS,
  loadPriceOverrides,
  overrideKey,
  type PriceOverride,
} from "./price-overrides-cache";

export interface PriceRequestInput {
  orgId: string;
  /** Adapter type of the provider that served the request (`openai`, `anthropic`, …). */
  providerType: string | null;
  /** The configured provider's id (what clients write in `provider/model`). */
  providerId: string | null;
  /** The model as served (falls back to the requested one). */
  model: string;
  usage: Usage;
  /** When the request was made (catalog prices can change on a date); defaults to now. */
  at?: Date;
}

/** A price, or the honest answer that there is none: an unknown model is never recorded as $0. */
export type PriceResult =
  | { costMicros: bigint; source: "override" | "catalog"; pricedAs: string; unpriced?: undefined }
  | { unpriced: true };

export type PriceRequest = (input: PriceRequestInput) => Promise<PriceResult>;

export function overrideSheet(o: PriceOverride): PriceSheet {
  const perMillion = (micros: bigint) => ({ num: micros, den: 1_000_000n });
  return {
    input: perMillion(o.inputMicrosPerMTok),
    output: perMillion(o.outputMicrosPerMTok),
    cacheRead: o.cachedInputMicrosPerMTok === null ? undefined : perMillion(o.cachedInputMicrosPerMTok),
  };
}

/**
 * Prices requests for the log writer (off the hot path): the org's own price for the model wins
 * (`provider/model` before a bare `model`), then the bundled catalog; otherwise unpriced.
 */
export function createRequestPricer(db: Db, options: { overridesTtlMs?: number } = {}): PriceRequest {
  const ttl = options.overridesTtlMs ?? DEFAULT_OVERRIDES_TTL_MS;
  return async (input) => {
    const overrides = await loadPriceOverrides(db, input.orgId, ttl);
    if (overrides.size > 0) {
      const keys = input.providerId ? [`${input.providerId}/${input.model}`, input.model] : [input.model];
      for (const key of keys) {
        const override = overrides.get(overrideKey(key));
        if (override) {
          return {
            costMicros: computeCostMicros(overrideSheet(override), input.usage),
            source: "override",
            pricedAs: override.model,
          };
        }
      }
    }
    const catalog = await findCatalogPrice({
      providerType: input.providerType,
      providerId: input.providerId,
      model: input.model,
      at: input.at,
    });
    if (!catalog) return { unpriced: true };
    return {
      costMicros: computeCostMicros(catalog.sheet, input.usage),
      source: "catalog",
      pricedAs: `${catalog.provider}/${catalog.model}`,
    };
  };
}
