import { z } from "zod";
import { budgetInputSchema, limitValueSchema } from "~/gateway/limits/schemas";
import { BUDGET_PERIODS, type RateLimits } from "~/gateway/limits/types";
import { CACHE_DEFAULTS } from "~/server/db/schema";
import {
  CACHE_TTL_MAX_SECONDS,
  CACHE_TTL_MIN_SECONDS,
  SEMANTIC_THRESHOLD_MAX,
  SEMANTIC_THRESHOLD_MIN,
} from "~/server/limits-config/limit-settings";
import { WEBHOOK_URL_MAX_LENGTH } from "~/server/limits-config/webhook-url-policy";

/**
 * Inputs of the limits feature (console and CLI). Each rate-limit measure and each budget is
 * validated by the limits engine's own schemas (src/gateway/limits/schemas.ts), so what the
 * console accepts is exactly what the engine enforces. Inputs are flat objects: validation
 * errors are then keyed by the field a form shows them next to (`rpm`, `amountUsd`, …).
 */

/**
 * Re-emits a schema's issues under the same paths; zod's default wording for a wrong type
 * ("Invalid input: expected number, received string") becomes "must be a number".
 */
function reparse<S extends z.ZodType>(
  schema: S,
  value: unknown,
  ctx: z.RefinementCtx,
  path: PropertyKey[] = [],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    ctx.addIssue({
      code: "custom",
      path: [...path, ...issue.path],
      message:
        issue.code === "invalid_type" && issue.message.startsWith("Invalid input")
          ? `must be a ${issue.expected}`
          : issue.message,
    });
  }
  return z.NEVER;
}

/** One measure: a whole number ≥ 1 (engine bounds), null to remove the limit, absent to keep it. */
const measure = z
  .unknown()
  .transform((v, ctx): number | null | undefined =>
    v === undefined ? undefined : reparse(limitValueSchema, v, ctx),
  )
  .optional();

export const rateLimitFields = { rpm: measure, tpm: measure, rpd: measure, concurrent: measure };

type MeasureFields = Partial<Record<keyof RateLimits, number | null | undefined>>;

/** A full `RateLimits` from form fields: an absent measure means no limit. */
export function toRateLimits(v: MeasureFields): RateLimits {
  return {
    rpm: v.rpm ?? null,
    tpm: v.tpm ?? null,
    rpd: v.rpd ?? null,
    concurrent: v.concurrent ?? null,
  };
}

export const limitsIdSchema = z.string().trim().min(1, "An id is required").max(64, "Not an id");

export const tierNameSchema = z
  .string({ error: "A tier needs a name" })
  .trim()
  .min(1, "A tier needs a name")
  .max(48, "At most 48 characters")
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9 _.-]*$/,
    "Use letters, digits, spaces, dots, dashes and underscores",
  );

export const createTierInput = z.object({ name: tierNameSchema, ...rateLimitFields });
export type CreateTierInput = z.output<typeof createTierInput>;

export const updateTierInput = z.object({
  id: limitsIdSchema,
  name: tierNameSchema,
  ...rateLimitFields,
});
export type UpdateTierInput = z.output<typeof updateTierInput>;

export const deleteTierInput = z.object({
  id: limitsIdSchema,
  /** Required when keys use the tier: they lose it (their own overrides stay). */
  unassignKeys: z.boolean().optional(),
});
export type DeleteTierInput = z.output<typeof deleteTierInput>;

/** A model or route name as requests name it; null for the org-wide row. */
export const limitModelSchema = z
  .string({ error: "must be a model name" })
  .trim()
  .min(1, "Name a model, or choose org-wide")
  .max(200, "At most 200 characters");

export const setOrgLimitInput = z.object({
  model: limitModelSchema.nullable(),
  ...rateLimitFields,
});
export type SetOrgLimitInput = z.output<typeof setOrgLimitInput>;

export const limitsIdInput = z.object({ id: limitsIdSchema });
export type LimitsIdInput = z.output<typeof limitsIdInput>;

const cacheTtlSchema = z
  .number({ error: "must be a number of seconds" })
  .int("must be a whole number of seconds")
  .min(CACHE_TTL_MIN_SECONDS, "must be at least 1 second")
  .max(CACHE_TTL_MAX_SECONDS, "must be at most 30 days (2592000 seconds)");

/**
 * A key's tier, own limits and cache TTL. Absent fields keep their current value (the CLI's
 * `keys update`); null removes it. The console sends every field.
 */
export const setKeyLimitsInput = z.object({
  keyId: limitsIdSchema,
  tierId: limitsIdSchema.nullish(),
  /** The CLI names tiers (`--tier pro`); resolved within the org. */
  tierName: tierNameSchema.optional(),
  ...rateLimitFields,
  cacheTtlSeconds: cacheTtlSchema.nullish(),
});
export type SetKeyLimitsInput = z.output<typeof setKeyLimitsInput>;

export const keyIdInput = z.object({ keyId: limitsIdSchema });

/** A budget: the engine's `budgetInputSchema` (USD in, micro-dollars out), flat for forms. */
export const createBudgetInput = z
  .object({
    scope: z.unknown(),
    keyId: z.unknown().optional(),
    amountUsd: z.unknown(),
    period: z.unknown(),
    hard: z.unknown(),
    alertThresholds: z.unknown().optional(),
  })
  .transform((v, ctx) => reparse(budgetInputSchema, v, ctx));
export type CreateBudgetInput = z.output<typeof createBudgetInput>;

/** Amount, period, hardness and thresholds of a budget; its scope and key never change. */
export const updateBudgetInput = z
  .object({
    id: limitsIdSchema,
    amountUsd: z.unknown(),
    period: z.unknown(),
    hard: z.unknown(),
    alertThresholds: z.unknown().optional(),
  })
  .transform((v, ctx) => {
    const { id, ...fields } = v;
    const parsed = reparse(budgetInputSchema, { ...fields, scope: "org" }, ctx);
    return {
      id,
      amountMicros: parsed.amountMicros,
      period: parsed.period,
      hard: parsed.hard,
      alertThresholds: parsed.alertThresholds,
    };
  });
export type UpdateBudgetInput = z.output<typeof updateBudgetInput>;

export const budgetPeriodSchema = z.enum(BUDGET_PERIODS, {
  error: `must be one of ${BUDGET_PERIODS.join(", ")}`,
});

const webhookUrlSchema = z
  .string({ error: "must be a URL" })
  .trim()
  .max(WEBHOOK_URL_MAX_LENGTH, `At most ${WEBHOOK_URL_MAX_LENGTH} characters`)
  .transform((s) => (s === "" ? null : s))
  .nullable();

/** Changes to the org's limit and cache settings; absent fields keep their value. */
export const updateLimitSettingsInput = z.object({
  allowUnpricedUnderHardBudget: z.boolean().optional(),
  budgetAlertWebhookUrl: webhookUrlSchema.optional(),
  cacheDefault: z.enum(CACHE_DEFAULTS, { error: "must be off or on" }).optional(),
  cacheTtlSeconds: cacheTtlSchema.optional(),
  semanticCache: z.boolean().optional(),
  semanticThreshold: z
    .number({ error: "must be a number between 0.5 and 1" })
    .min(SEMANTIC_THRESHOLD_MIN, "must be at least 0.5")
    .max(SEMANTIC_THRESHOLD_MAX, "must be at most 1")
    .optional(),
});
export type UpdateLimitSettingsInput = z.output<typeof updateLimitSettingsInput>;

export const listBudgetAlertsInput = z.object({
  limit: z.number().int().min(1).max(200).optional(),
});
