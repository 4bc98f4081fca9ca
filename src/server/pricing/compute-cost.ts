import type { Usage } from "~/providers/types";
import { add, multiply, roundHalfUp, ZERO, type Fraction } from "./exact-decimal";

/** A price in dollars per million tokens, flat or tiered by the request's prompt size. */
export type TokenPrice = Fraction | TieredTokenPrice;

export interface TieredTokenPrice {
  base: Fraction;
  /** Applies to every token of the request once its prompt exceeds `start` tokens. */
  tiers: { start: number; price: Fraction }[];
}

/** What one model costs, in exact dollars per million tokens (per thousand for requests). */
export interface PriceSheet {
  input: TokenPrice;
  output: TokenPrice;
  /** Prompt tokens read from the provider's cache; when absent they cost `input`. */
  cacheRead?: TokenPrice;
  /** Prompt tokens written to the provider's cache; when absent they cost `input`. */
  cacheWrite?: TokenPrice;
  /** Hidden reasoning tokens, when priced apart from output; otherwise they cost `output`. */
  reasoning?: TokenPrice;
  /** A flat fee per thousand requests. */
  perThousandRequests?: Fraction;
}

function isTiered(price: TokenPrice): price is TieredTokenPrice {
  return "tiers" in price;
}

function resolve(price: TokenPrice, promptTokens: number): Fraction {
  if (!isTiered(price)) return price;
  let chosen = price.base;
  for (const tier of [...price.tiers].sort((a, b) => a.start - b.start)) {
    if (promptTokens > tier.start) chosen = tier.price;
  }
  return chosen;
}

const count = (n: number | undefined): bigint =>
  BigInt(Number.isFinite(n) && (n ?? 0) > 0 ? Math.floor(n!) : 0);

/**
 * The cost of one request in integer micro-dollars, rounded half up once at the end.
 *
 * Token counts follow OpenAI's conventions, which every adapter translates to: `promptTokens`
 * includes cached reads and writes, and `completionTokens` includes reasoning tokens (providers
 * bill reasoning as output). A token is priced once, at its most specific price: cached reads at
 * the cache-read price when the model has one, the rest of the prompt at the input price.
 * Since cost in micro-dollars = tokens × dollars per million tokens, no scaling is needed.
 */
export function computeCostMicros(sheet: PriceSheet, usage: Usage): bigint {
  const prompt = count(usage.promptTokens);
  const completion = count(usage.completionTokens);
  // Inconsistent reports (cached > prompt) are clamped instead of producing a negative part.
  const cacheRead = minBig(count(usage.cachedReadTokens), prompt);
  const cacheWrite = minBig(count(usage.cachedWriteTokens), prompt - cacheRead);
  const reasoning = minBig(count(usage.reasoningTokens), completion);
  const promptNumber = Number(prompt);
  const price = (p: TokenPrice) => resolve(p, promptNumber);

  let inputLeaf = prompt;
  let total: Fraction = ZERO;
  if (sheet.cacheRead) {
    inputLeaf -= cacheRead;
    total = add(total, multiply(price(sheet.cacheRead), cacheRead));
  }
  if (sheet.cacheWrite) {
    inputLeaf -= cacheWrite;
    total = add(total, multiply(price(sheet.cacheWrite), cacheWrite));
  }
  total = add(total, multiply(price(sheet.input), inputLeaf));

  let outputLeaf = completion;
  if (sheet.reasoning) {
    outputLeaf -= reasoning;
    total = add(total, multiply(price(sheet.reasoning), reasoning));
  }
  total = add(total, multiply(price(sheet.output), outputLeaf));

  if (sheet.perThousandRequests) {
    // One request: dollars per thousand × 1e6 micro-dollars / 1000.
    total = add(total, multiply(sheet.perThousandRequests, 1000n));
  }
  return roundHalfUp(total);
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
