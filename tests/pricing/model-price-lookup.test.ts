import { describe, expect, it } from "vitest";
import { DEFAULT_TIMEOUTS, type ProviderConfig } from "~/providers/types";
import { catalogModelPrices } from "~/server/pricing/model-price-lookup";

const provider = (id: string, type: string): ProviderConfig => ({
  id,
  type,
  baseURL: "https://example.invalid/v1",
  timeouts: DEFAULT_TIMEOUTS,
  models: [],
});

describe("catalog prices for lowest-cost routes", () => {
  it("adds the input and output price per million tokens from the bundled catalog", async () => {
    // gpt-4o-mini: $0.15 in + $0.60 out per 1M tokens.
    expect(await catalogModelPrices.priceOf(provider("openai", "openai"), "gpt-4o-mini")).toBeCloseTo(0.75, 6);
    expect(await catalogModelPrices.priceOf(provider("openai", "openai"), "gpt-4o")).toBeGreaterThan(0.75);
  });

  it("knows no price for a self-hosted or unknown model (null: tried last)", async () => {
    expect(await catalogModelPrices.priceOf(provider("local", "openai-compatible"), "gpt-4o-mini")).toBeNull();
    expect(await catalogModelPrices.priceOf(provider("openai", "openai"), "no-such-model-7")).toBeNull();
  });
});
