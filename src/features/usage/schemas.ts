import { z } from "zod";
import { rangeProblem } from "./usage-range";

/** What spend and tokens are broken down by: served model, API key, provider, end user (`user`). */
export const USAGE_DIMENSIONS = ["model", "key", "provider", "user"] as const;
export const usageDimensionSchema = z.enum(USAGE_DIMENSIONS);
export type UsageDimension = z.infer<typeof usageDimensionSchema>;

export const DIMENSION_LABELS: Record<UsageDimension, string> = {
  model: "Model",
  key: "API key",
  provider: "Provider",
  user: "End user",
};

/** The same, inside a sentence ("stacked by API key"). */
export const DIMENSION_NOUNS: Record<UsageDimension, string> = {
  model: "model",
  key: "API key",
  provider: "provider",
  user: "end user",
};

function checkRange(value: { since: Date; until?: Date | undefined }, ctx: z.RefinementCtx): void {
  const problem = rangeProblem(value.since, value.until ?? new Date());
  if (problem)
    ctx.addIssue({ code: "custom", message: problem, path: [value.until ? "until" : "since"] });
}

/** A time range: `until` defaults to now on the server; order and length are checked (checkRange). */
const dateSchema = z.coerce.date({ error: "Not a valid date." });
const rangeShape = { since: dateSchema, until: dateSchema.optional() };

export const usageRangeInput = z.object(rangeShape).superRefine(checkRange);
export type UsageRangeInput = z.infer<typeof usageRangeInput>;

export const usageSeriesInput = z
  .object({
    ...rangeShape,
    by: usageDimensionSchema.default("model"),
    /** How many values get a series of their own; the rest are summed as "other". */
    top: z.number().int().min(1).max(20).default(6),
  })
  .superRefine(checkRange);
export type UsageSeriesInput = z.infer<typeof usageSeriesInput>;

export const usageTableInput = z
  .object({ ...rangeShape, limit: z.number().int().min(1).max(100).default(10) })
  .superRefine(checkRange);
export type UsageTableInput = z.infer<typeof usageTableInput>;

/** The CSV export's query (`since`/`until` arrive already parsed, see usage-csv-response.ts). */
export const usageExportQuery = z
  .object({ ...rangeShape, by: usageDimensionSchema.default("model") })
  .superRefine(checkRange);
