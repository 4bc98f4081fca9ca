import { z } from "zod";

/** Dollars per million tokens as typed: up to 6 decimals (a micro-dollar per million tokens). */
export const dollarsPerMTokSchema = z
  .string()
  .trim()
  .regex(/^\d{1,9}(\.\d{1,6})?$/, "Enter a dollar amount like 0.15 (at most 6 decimals)");

export const modelPriceModelSchema = z
  .string()
  .trim()
  .min(1, "Model is required")
  .max(200, "Model names are at most 200 characters")
  .regex(/^[^\s]+$/, "Model names have no spaces");

export const setModelPriceInput = z.object({
  /** Exact model id as served, or `provider/model` to price it only on one provider. */
  model: modelPriceModelSchema,
  inputPerMTok: dollarsPerMTokSchema,
  outputPerMTok: dollarsPerMTokSchema,
  /** Cached prompt tokens; empty = same as input. */
  cachedInputPerMTok: dollarsPerMTokSchema.nullish().or(z.literal("").transform(() => null)),
});
export type SetModelPriceInput = z.infer<typeof setModelPriceInput>;

export const modelPriceIdInput = z.object({ id: z.string().trim().min(1).max(64) });
