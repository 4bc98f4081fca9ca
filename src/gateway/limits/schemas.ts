import { z } from "zod";
import { BUDGET_PERIODS, BUDGET_SCOPES } from "./types";

/**
 * Validation of limits and budgets at every boundary (console, CLI, config, and the engine
 * itself, which refuses to enforce a malformed limit rather than guess). Amounts the user types
 * are USD; everything stored and counted is integer micro-dollars.
 */

export const MAX_LIMIT = 1_000_000_000;
export const MAX_BUDGET_USD = 1_000_000_000;
export const MAX_BUDGET_MICROS = MAX_BUDGET_USD * 1_000_000;

const limitValue = z
  .number()
  .int("must be a whole number")
  .positive("must be at least 1")
  .max(MAX_LIMIT, `must be at most ${MAX_LIMIT.toLocaleString("en-US")}`);

/** One measure of a rate limit as stored: a positive integer, or null for "no limit". */
export const limitValueSchema = limitValue.nullable();

/** A complete `RateLimits` (all four measures present, null = unlimited). */
export const rateLimitsSchema = z.strictObject({
  rpm: limitValueSchema,
  tpm: limitValueSchema,
  rpd: limitValueSchema,
  concurrent: limitValueSchema,
});

/**
 * Rate limits as a form or CLI sends them: each measure optional; absent, null (and in forms an
 * empty value, mapped to null by the caller) mean no limit. Output is a complete `RateLimits`.
 */
export const rateLimitsInputSchema = z
  .strictObject({
    rpm: limitValue.nullish(),
    tpm: limitValue.nullish(),
    rpd: limitValue.nullish(),
    concurrent: limitValue.nullish(),
  })
  .transform((v) => ({
    rpm: v.rpm ?? null,
    tpm: v.tpm ?? null,
    rpd: v.rpd ?? null,
    concurrent: v.concurrent ?? null,
  }));

export type RateLimitsInput = z.input<typeof rateLimitsInputSchema>;

export const alertThresholdsSchema = z
  .array(z.number().int("must be a whole percentage").min(1).max(100))
  .max(10, "at most 10 thresholds")
  .refine((a) => new Set(a).size === a.length, "thresholds must be distinct")
  .transform((a) => [...a].sort((x, y) => x - y));

/** Converts USD to integer micro-dollars; amounts are rounded to the micro-dollar. */
export function usdToMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}

const budgetFields = {
  scope: z.enum(BUDGET_SCOPES),
  /** Required for `key` budgets, refused for the others. */
  keyId: z.string().min(1).max(200).nullish(),
  amountUsd: z
    .number()
    .finite()
    .positive("must be more than $0")
    .max(MAX_BUDGET_USD, `must be at most $${MAX_BUDGET_USD.toLocaleString("en-US")}`)
    .refine((v) => usdToMicros(v) >= 1, "must be at least $0.000001"),
  period: z.enum(BUDGET_PERIODS),
  hard: z.boolean(),
  alertThresholds: alertThresholdsSchema.default([50, 80, 100]),
};

function checkKeyScope(
  v: { scope: string; keyId?: string | null | undefined },
  ctx: z.RefinementCtx,
): void {
  if (v.scope === "key" && !v.keyId) {
    ctx.addIssue({ code: "custom", path: ["keyId"], message: "a key budget needs the key's id" });
  }
  if (v.scope !== "key" && v.keyId) {
    ctx.addIssue({ code: "custom", path: ["keyId"], message: "only key budgets name a key" });
  }
}

/**
 * A budget as the console or CLI creates it. Output: `{ scope, keyId, amountMicros, period, hard,
 * alertThresholds }` — a `BudgetRule` without its id.
 */
export const budgetInputSchema = z
  .strictObject(budgetFields)
  .superRefine(checkKeyScope)
  .transform(({ amountUsd, keyId, ...rest }) => ({
    ...rest,
    keyId: rest.scope === "key" ? (keyId ?? null) : null,
    amountMicros: usdToMicros(amountUsd),
  }));

/** Same schema under the name the engine's docs use. */
export const budgetRuleInputSchema = budgetInputSchema;

export type BudgetInput = z.input<typeof budgetInputSchema>;
export type BudgetInputParsed = z.output<typeof budgetInputSchema>;

/** A stored `BudgetRule` as the engine receives it (amount already in micro-dollars). */
export const budgetRuleSchema = z
  .strictObject({
    id: z.string().min(1).max(200),
    scope: z.enum(BUDGET_SCOPES),
    keyId: z.string().min(1).max(200).nullable(),
    amountMicros: z.number().int().positive().max(MAX_BUDGET_MICROS),
    period: z.enum(BUDGET_PERIODS),
    hard: z.boolean(),
    alertThresholds: z.array(z.number().int().min(1).max(100)).max(10).readonly(),
  })
  .superRefine(checkKeyScope);

/** Everything that limits one request (`RequestLimits`), as the engine validates it. */
export const requestLimitsSchema = z.object({
  key: rateLimitsSchema.nullable(),
  org: rateLimitsSchema.nullable(),
  model: rateLimitsSchema.nullable(),
  budgets: z.array(budgetRuleSchema).max(100).readonly(),
  allowUnpriced: z.boolean(),
});
