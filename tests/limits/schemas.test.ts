import { describe, expect, it } from "vitest";
import {
  budgetInputSchema,
  budgetRuleInputSchema,
  budgetRuleSchema,
  rateLimitsInputSchema,
  rateLimitsSchema,
  requestLimitsSchema,
} from "~/gateway/limits/schemas";
import { budget, limits, rate } from "./limits-fixtures";

describe("rate limit schemas", () => {
  it("accepts positive integers up to 1e9 and null; fills absent measures with null", () => {
    expect(rateLimitsInputSchema.parse({ rpm: 60 })).toEqual({
      rpm: 60,
      tpm: null,
      rpd: null,
      concurrent: null,
    });
    expect(rateLimitsInputSchema.parse({ rpm: null, tpm: 1e9, rpd: 1, concurrent: 3 })).toEqual({
      rpm: null,
      tpm: 1e9,
      rpd: 1,
      concurrent: 3,
    });
    expect(rateLimitsSchema.parse(rate({ rpm: 5 }))).toEqual(rate({ rpm: 5 }));
  });

  it.each([
    ["negative", { rpm: -1 }, "at least 1"],
    ["zero", { tpm: 0 }, "at least 1"],
    ["fractional", { rpd: 1.5 }, "whole number"],
    ["NaN", { concurrent: Number.NaN }, ""],
    ["Infinity", { rpm: Number.POSITIVE_INFINITY }, ""],
    ["huge", { rpm: 1e9 + 1 }, "at most 1,000,000,000"],
    ["a string", { rpm: "10" }, ""],
    ["an unknown field", { rpm: 1, rph: 3 }, ""],
  ])("refuses %s", (_, input, message) => {
    const result = rateLimitsInputSchema.safeParse(input);
    expect(result.success).toBe(false);
    if (message) expect(result.error?.issues.map((i) => i.message).join(" ")).toContain(message);
    const full = rateLimitsSchema.safeParse({ ...rate({}), ...input });
    expect(full.success).toBe(false);
  });
});

describe("budget schemas", () => {
  it("converts USD to micro-dollars exactly and sorts thresholds", () => {
    expect(
      budgetInputSchema.parse({
        scope: "org",
        amountUsd: 12.345678,
        period: "monthly",
        hard: true,
        alertThresholds: [100, 50, 80],
      }),
    ).toEqual({
      scope: "org",
      keyId: null,
      amountMicros: 12_345_678,
      period: "monthly",
      hard: true,
      alertThresholds: [50, 80, 100],
    });
    expect(
      budgetRuleInputSchema.parse({
        scope: "key",
        keyId: "key_1",
        amountUsd: 0.1 + 0.2,
        period: "daily",
        hard: false,
      }),
    ).toMatchObject({
      keyId: "key_1",
      amountMicros: 300_000,
      alertThresholds: [50, 80, 100],
    });
    expect(
      budgetInputSchema.parse({
        scope: "user",
        amountUsd: 1e9,
        period: "total",
        hard: true,
        alertThresholds: [],
      }).amountMicros,
    ).toBe(1e15);
  });

  it.each([
    ["zero amount", { amountUsd: 0 }],
    ["negative amount", { amountUsd: -5 }],
    ["NaN amount", { amountUsd: Number.NaN }],
    ["amount over $1e9", { amountUsd: 1e9 + 1 }],
    ["amount under a micro-dollar", { amountUsd: 0.0000001 }],
    ["threshold 0", { alertThresholds: [0] }],
    ["threshold 101", { alertThresholds: [101] }],
    ["fractional threshold", { alertThresholds: [50.5] }],
    ["duplicate thresholds", { alertThresholds: [50, 50] }],
    ["unknown period", { period: "hourly" }],
    ["unknown scope", { scope: "team" }],
    ["key budget without key", { scope: "key" }],
    ["org budget naming a key", { keyId: "key_1" }],
  ])("refuses %s", (_, patch) => {
    const input = {
      scope: "org",
      amountUsd: 10,
      period: "monthly",
      hard: true,
      alertThresholds: [80],
      ...patch,
    };
    expect(budgetInputSchema.safeParse(input).success).toBe(false);
  });

  it("validates stored rules and whole RequestLimits as the engine receives them", () => {
    expect(budgetRuleSchema.safeParse(budget({})).success).toBe(true);
    expect(budgetRuleSchema.safeParse(budget({ amountMicros: 1.5 })).success).toBe(false);
    expect(budgetRuleSchema.safeParse(budget({ scope: "key", keyId: null })).success).toBe(false);
    expect(
      requestLimitsSchema.safeParse(limits({ key: rate({ rpm: 5 }), budgets: [budget({})] }))
        .success,
    ).toBe(true);
    expect(requestLimitsSchema.safeParse(limits({ org: rate({ rpm: -5 }) })).success).toBe(false);
  });
});
