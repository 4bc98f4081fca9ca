import type * as GenaiPricesModule from "@pydantic/genai-prices";
import { LRUCache } from "lru-cache";
import { parseDecimal, ZERO, type Fraction } from "./exact-decimal";
import type { PriceSheet, TokenPrice } from "./compute-cost";

/**
 * Model prices from the catalog bundled with `@pydantic/genai-prices` (no network: the package
 * ships its data and Switchyard never calls its auto-update). The library picks the model entry
 * and the price in force at the request's time; the arithmetic is done exactly in
 * `computeCostMicros`, not with the library's float total.
 */

type GenaiPrices = typeof GenaiPricesModule;
let library: Promise<GenaiPrices> | undefined;

/** Loaded on first use: the catalog is ~1 MB of JavaScript the hot path never needs. */
function loadLibrary(): Promise<GenaiPrices> {
  library ??= import("@pydantic/genai-prices");
  return library;
}

/**
 * Switchyard adapter type → catalog provider id. Types missing here (`openai-compatible`, `mock`)
 * are priced only when the configured provider's own id names a catalog provider (`groq`,
 * `together`, `deepseek`…): a self-hosted model is never guessed from its name alone.
 */
const CATALOG_PROVIDER_BY_TYPE: Record<string, string> = {
  openai: "openai",
  "azure-openai": "azure",
  anthropic: "anthropic",
  gemini: "google",
  bedrock: "aws",
};

export interface CatalogMatch {
  sheet: PriceSheet;
  /** Catalog ids, for display ("priced as openai/gpt-4o-mini"). */
  provider: string;
  model: string;
}

export interface CatalogLookup {
  providerType: string | null;
  providerId: string | null;
  model: string;
  /** When the request was made: catalog prices can change on a date. */
  at?: Date;
}

/**
 * A catalog lookup costs up to ~0.1 ms of CPU (it walks the provider's model list with pattern
 * matches), on the same event loop as the gateway: answers are remembered, misses included.
 * Models whose price depends on the date or time of day are looked up every time.
 */
const memo = new LRUCache<string, { match: CatalogMatch | null }>({ max: 5_000, ttl: 10 * 60_000 });

export async function findCatalogPrice(lookup: CatalogLookup): Promise<CatalogMatch | null> {
  const key = `${lookup.providerType ?? ""}|${lookup.providerId ?? ""}|${lookup.model.trim().toLowerCase()}`;
  const hit = memo.get(key);
  if (hit) return hit.match;
  const lib = await loadLibrary();
  const { match, timeDependent } = lookUp(lib, lookup);
  if (!timeDependent) memo.set(key, { match });
  return match;
}

function lookUp(lib: GenaiPrices, lookup: CatalogLookup): { match: CatalogMatch | null; timeDependent: boolean } {
  const candidates = [
    lookup.providerType ? CATALOG_PROVIDER_BY_TYPE[lookup.providerType] : undefined,
    lookup.providerId ?? undefined,
  ].filter((id, i, all): id is string => Boolean(id) && all.indexOf(id) === i);

  for (const providerId of candidates) {
    if (!lib.findProvider({ providerId })) continue;
    let result: ReturnType<GenaiPrices["calcPrice"]>;
    try {
      result = lib.calcPrice(
        // Only the model and its prices in force are used; tiers are applied in computeCostMicros.
        { input_tokens: 0, output_tokens: 0 },
        lookup.model,
        { providerId, timestamp: lookup.at },
      );
    } catch {
      result = null;
    }
    if (!result) continue;
    const timeDependent = Array.isArray(result.model.prices);
    const sheet = toPriceSheet(result.model_price);
    if (sheet) return { match: { sheet, provider: result.provider.id, model: result.model.id }, timeDependent };
  }
  return { match: null, timeDependent: false };
}

type CatalogValue = number | { base: number; tiers: { start: number; price: number }[] } | undefined;

function toTokenPrice(value: CatalogValue): TokenPrice | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return parseDecimal(value);
  return {
    base: parseDecimal(value.base),
    tiers: value.tiers.map((t) => ({ start: t.start, price: parseDecimal(t.price) })),
  };
}

/** The token prices Switchyard reports usage for; other units (audio, images, searches) are not billed here. */
function toPriceSheet(prices: Record<string, unknown>): PriceSheet | null {
  const get = (key: string) => toTokenPrice(prices[key] as CatalogValue);
  const input = get("input_mtok");
  // A model without an input token price (image, audio or per-request models) cannot be priced
  // from token counts. One without an output price (embeddings) bills output as free, as the
  // catalog does.
  if (!input) return null;
  const output = get("output_mtok") ?? ZERO;
  const requests = prices.requests_kcount;
  return {
    input,
    output,
    cacheRead: get("cache_read_mtok"),
    cacheWrite: get("cache_write_mtok"),
    reasoning: get("output_reasoning_mtok"),
    perThousandRequests: typeof requests === "number" ? (parseDecimal(requests) as Fraction) : undefined,
  };
}
