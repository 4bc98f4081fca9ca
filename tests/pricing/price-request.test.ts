import { calcPrice, findProvider } from "@pydantic/genai-prices";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setModelPrice } from "~/features/pricing/server/set-model-price";
import { removeModelPrice } from "~/features/pricing/server/remove-model-price";
import type { Usage } from "~/providers/types";
import type { DatabaseHandle } from "~/server/db/client";
import { modelPrices } from "~/server/db/schema";
import { userActor } from "~/server/domain/actor";
import { findCatalogPrice } from "~/server/pricing/catalog-price";
import { computeCostMicros } from "~/server/pricing/compute-cost";
import { createRequestPricer, type PriceRequest } from "~/server/pricing/price-request";
import { createTestDatabase } from "../helpers/db";
import { makeOrg, type OrgFixture } from "../helpers/factories";

let handle: DatabaseHandle;
let org: OrgFixture;
let price: PriceRequest;

beforeAll(async () => {
  handle = await createTestDatabase();
  org = await makeOrg(handle.db);
  price = createRequestPricer(handle.db, { overridesTtlMs: 60_000 });
});
afterAll(async () => {
  await handle.close();
});

const usage = (u: Partial<Usage>): Usage => ({
  promptTokens: 0,
  completionTokens: 0,
  totalTokens: (u.promptTokens ?? 0) + (u.completionTokens ?? 0),
  ...u,
});

const openai = (model: string, u: Partial<Usage>, orgId = org.org.id) =>
  price({ orgId, providerType: "openai", providerId: "openai", model, usage: usage(u) });

describe("catalog prices (bundled @pydantic/genai-prices data)", () => {
  it("has the gpt-4o-mini numbers these tests assume", () => {
    const result = calcPrice({ input_tokens: 1_000_000, output_tokens: 1_000_000 }, "gpt-4o-mini", {
      providerId: "openai",
    });
    expect(result?.model_price).toMatchObject({ input_mtok: 0.15, cache_read_mtok: 0.075, output_mtok: 0.6 });
  });

  it("gpt-4o-mini: 1,000 in + 100 out = 150 + 60 micro-dollars", async () => {
    expect(await openai("gpt-4o-mini", { promptTokens: 1000, completionTokens: 100 })).toMatchObject({
      costMicros: 210n,
      source: "catalog",
      pricedAs: "openai/gpt-4o-mini",
    });
  });

  it("a dated model id is priced as its family", async () => {
    expect(await openai("gpt-4o-mini-2024-07-18", { promptTokens: 1000, completionTokens: 100 })).toMatchObject({
      costMicros: 210n,
    });
  });

  it("cached prompt tokens cost the cache-read price", async () => {
    // 6,000 × 0.15 + 4,000 × 0.075 + 500 × 0.6 = 900 + 300 + 300
    expect(
      await openai("gpt-4o-mini", { promptTokens: 10_000, cachedReadTokens: 4_000, completionTokens: 500 }),
    ).toMatchObject({ costMicros: 1_500n });
  });

  it("reasoning tokens are part of the output and billed once, at the output price", async () => {
    // o3-mini: 1,000 × 1.1 + 2,000 × 4.4 (of which 1,500 reasoning)
    expect(await openai("o3-mini", { promptTokens: 1000, completionTokens: 2000, reasoningTokens: 1500 })).toMatchObject(
      { costMicros: 1_100n + 8_800n },
    );
  });

  it("anthropic cache writes and reads each get their own price", async () => {
    const result = await price({
      orgId: org.org.id,
      providerType: "anthropic",
      providerId: "anthropic",
      model: "claude-3-5-sonnet-20241022",
      usage: usage({ promptTokens: 5000, cachedReadTokens: 1000, cachedWriteTokens: 3000, completionTokens: 200 }),
    });
    // 1,000 × 3 + 1,000 × 0.3 + 3,000 × 3.75 + 200 × 15
    expect(result).toMatchObject({ costMicros: 17_550n });
  });

  it("tiered prices switch on the prompt size", async () => {
    const small = await price({
      orgId: org.org.id,
      providerType: "gemini",
      providerId: "gemini",
      model: "gemini-1.5-pro",
      usage: usage({ promptTokens: 100_000, completionTokens: 1000 }),
    });
    const large = await price({
      orgId: org.org.id,
      providerType: "gemini",
      providerId: "gemini",
      model: "gemini-1.5-pro",
      usage: usage({ promptTokens: 200_000, completionTokens: 1000 }),
    });
    expect(small).toMatchObject({ costMicros: 100_000n * 125n / 100n + 5_000n });
    expect(large).toMatchObject({ costMicros: 200_000n * 25n / 10n + 10_000n });
  });

  it("rounds half up once at the end (30 tokens × $0.15/M = 4.5 µ$ → 5)", async () => {
    expect(await openai("gpt-4o-mini", { promptTokens: 30 })).toMatchObject({ costMicros: 5n });
    expect(await openai("gpt-4o-mini", { promptTokens: 29 })).toMatchObject({ costMicros: 4n });
  });

  it("a price that depends on the time of day is looked up for the request's time", async () => {
    const at = async (iso: string) =>
      price({
        orgId: org.org.id,
        providerType: "openai-compatible",
        providerId: "deepseek",
        model: "deepseek-chat",
        usage: usage({ promptTokens: 1_000_000 }),
        at: new Date(iso),
      });
    const lib = (iso: string) =>
      calcPrice({ input_tokens: 1_000_000, output_tokens: 0 }, "deepseek-chat", {
        providerId: "deepseek",
        timestamp: new Date(iso),
      })!.total_price;
    const day = await at("2025-06-01T02:00:00Z");
    const night = await at("2025-06-01T20:00:00Z");
    expect(day).toMatchObject({ costMicros: BigInt(Math.round(lib("2025-06-01T02:00:00Z") * 1e6)) });
    expect(night).toMatchObject({ costMicros: BigInt(Math.round(lib("2025-06-01T20:00:00Z") * 1e6)) });
    expect(day).not.toEqual(night);
  });

  it("an unknown model is unpriced, never $0", async () => {
    expect(await openai("definitely-not-a-real-model-9000", { promptTokens: 1000, completionTokens: 10 })).toEqual({
      unpriced: true,
    });
  });

  it("a self-hosted provider is not priced from the model name alone", async () => {
    const known = await price({
      orgId: org.org.id,
      providerType: "openai-compatible",
      providerId: "groq",
      model: "llama-3.1-8b-instant",
      usage: usage({ promptTokens: 1_000_000, completionTokens: 1_000_000 }),
    });
    expect(known).toMatchObject({ costMicros: 50_000n + 80_000n, pricedAs: "groq/llama-3.1-8b-instant" });
    const selfHosted = await price({
      orgId: org.org.id,
      providerType: "openai-compatible",
      providerId: "my-vllm",
      model: "llama-3.1-8b-instant",
      usage: usage({ promptTokens: 1000 }),
    });
    expect(selfHosted).toEqual({ unpriced: true });
    const mock = await price({
      orgId: org.org.id,
      providerType: "mock",
      providerId: "mock",
      model: "gpt-4o-mini",
      usage: usage({ promptTokens: 1000 }),
    });
    expect(mock).toEqual({ unpriced: true });
  });
});

describe("exact arithmetic agrees with the catalog library on every model", () => {
  const providers = ["openai", "anthropic", "google", "groq", "mistral", "deepseek", "x-ai", "together", "aws"];
  const u = usage({ promptTokens: 123_457, cachedReadTokens: 23_456, completionTokens: 7_891 });
  const libUsage = { input_tokens: 123_457, cache_read_tokens: 23_456, output_tokens: 7_891 };
  const at = new Date("2025-09-01T12:00:00Z");
  let total = 0;

  for (const providerId of providers) {
    it(`${providerId}: within rounding of the library's float total`, async () => {
      const provider = findProvider({ providerId })!;
      let compared = 0;
      for (const model of provider.models) {
        const id = sampleId(model.match);
        if (!id) continue;
        const lib = calcPrice(libUsage, id, { providerId, timestamp: at });
        const ours = await findCatalogPrice({ providerType: null, providerId, model: id, at });
        if (!lib || !ours || lib.model.id !== model.id) continue;
        const exact = computeCostMicros(ours.sheet, u);
        const float = lib.total_price * 1e6;
        expect(Math.abs(Number(exact) - float), `${providerId}/${id}`).toBeLessThanOrEqual(0.5 + 1e-6 * float);
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
      total += compared;
    });
  }

  it("compared a meaningful number of models", () => {
    expect(total).toBeGreaterThan(150);
  });
});

/** A model id that the catalog entry's match rule accepts (its first `equals` or `starts_with`). */
function sampleId(match: unknown): string | undefined {
  const m = match as { equals?: string; starts_with?: string; or?: unknown[] };
  if (m.equals) return m.equals;
  if (m.starts_with) return m.starts_with;
  for (const inner of m.or ?? []) {
    const id = sampleId(inner);
    if (id) return id;
  }
  return undefined;
}

describe("org price overrides", () => {
  it("take precedence over the catalog, and removing one restores the catalog price", async () => {
    const f = await makeOrg(handle.db);
    const actor = userActor(f.users.owner);
    const fresh = createRequestPricer(handle.db);
    const call = () =>
      fresh({
        orgId: f.org.id,
        providerType: "openai",
        providerId: "openai",
        model: "gpt-4o-mini",
        usage: usage({ promptTokens: 1_000_000, cachedReadTokens: 200_000, completionTokens: 1_000 }),
      });
    expect(await call()).toMatchObject({ costMicros: 120_000n + 15_000n + 600n, source: "catalog" });
    const override = await setModelPrice(handle.db, {
      orgId: f.org.id,
      actor,
      input: { model: "GPT-4o-mini", inputPerMTok: "1", outputPerMTok: "2", cachedInputPerMTok: "0.5" },
    });
    // 800,000 × 1 + 200,000 × 0.5 + 1,000 × 2 — in effect at once (the cache was invalidated).
    expect(await call()).toMatchObject({ costMicros: 902_000n, source: "override", pricedAs: "GPT-4o-mini" });
    await removeModelPrice(handle.db, { orgId: f.org.id, actor, input: { id: override.id } });
    expect(await call()).toMatchObject({ source: "catalog" });
  });

  it("price unknown models; without a cached price, cached tokens cost the input price", async () => {
    const f = await makeOrg(handle.db);
    await setModelPrice(handle.db, {
      orgId: f.org.id,
      actor: userActor(f.users.admin),
      input: { model: "my-finetune", inputPerMTok: "0.3", outputPerMTok: "1.2", cachedInputPerMTok: null },
    });
    const result = await createRequestPricer(handle.db)({
      orgId: f.org.id,
      providerType: "openai-compatible",
      providerId: "vllm",
      model: "my-finetune",
      usage: usage({ promptTokens: 10_000, cachedReadTokens: 5_000, completionTokens: 1_000 }),
    });
    expect(result).toMatchObject({ costMicros: 3_000n + 1_200n, source: "override" });
  });

  it("a provider/model override beats a bare model override, and stays on its provider", async () => {
    const f = await makeOrg(handle.db);
    const actor = userActor(f.users.owner);
    await setModelPrice(handle.db, {
      orgId: f.org.id,
      actor,
      input: { model: "llama-3", inputPerMTok: "1", outputPerMTok: "1" },
    });
    await setModelPrice(handle.db, {
      orgId: f.org.id,
      actor,
      input: { model: "fast/llama-3", inputPerMTok: "3", outputPerMTok: "3" },
    });
    const on = (providerId: string) =>
      createRequestPricer(handle.db)({
        orgId: f.org.id,
        providerType: "openai-compatible",
        providerId,
        model: "llama-3",
        usage: usage({ promptTokens: 1_000_000 }),
      });
    expect(await on("fast")).toMatchObject({ costMicros: 3_000_000n });
    expect(await on("slow")).toMatchObject({ costMicros: 1_000_000n });
  });

  it("belong to one org", async () => {
    const a = await makeOrg(handle.db);
    const b = await makeOrg(handle.db);
    await handle.db.insert(modelPrices).values({
      id: `mpr_test_${a.org.id}`,
      orgId: a.org.id,
      model: "shared-name",
      inputMicrosPerMTok: 1_000_000n,
      outputMicrosPerMTok: 1_000_000n,
    });
    const pricer = createRequestPricer(handle.db);
    const args = { providerType: "mock", providerId: "mock", model: "shared-name", usage: usage({ promptTokens: 1_000_000 }) };
    expect(await pricer({ ...args, orgId: a.org.id })).toMatchObject({ costMicros: 1_000_000n });
    expect(await pricer({ ...args, orgId: b.org.id })).toEqual({ unpriced: true });
  });
});
