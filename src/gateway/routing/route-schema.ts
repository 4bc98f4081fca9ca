import { z } from "zod";

/**
 * A route is a virtual model: clients send its name as `model`, and Switchyard picks one of its
 * targets by the route's strategy, retrying and falling back as configured. The same schema
 * validates routes from the config file (`SWITCHYARD_CONFIG`), the console and the CLI.
 */

export const ROUTE_STRATEGIES = [
  "fallback",
  "weighted",
  "least-latency",
  "lowest-cost",
  "cascade",
] as const;
export type RouteStrategy = (typeof ROUTE_STRATEGIES)[number];

/** Route names share the model namespace: no `/` (that means provider/model), no spaces. */
export const ROUTE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

const positiveMs = z.number().int().positive().max(3_600_000);

const timeoutsSchema = z
  .object({
    connectMs: positiveMs.optional(),
    firstByteMs: positiveMs.optional(),
    idleMs: positiveMs.optional(),
    totalMs: positiveMs.optional(),
  })
  .strict();

/** When a target applies (all given conditions must hold); a target without one always applies. */
export const routeConditionSchema = z
  .object({
    /** API key ids (or key names) the target is for. */
    keys: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
    /** `x-switchyard-metadata` values that must match exactly. */
    metadata: z.record(z.string().max(100), z.string().max(500)).optional(),
    /** Estimated prompt tokens, inclusive bounds. */
    minPromptTokens: z.number().int().nonnegative().optional(),
    maxPromptTokens: z.number().int().positive().optional(),
  })
  .strict();

export const routeTargetSchema = z
  .object({
    /** `provider/model`, or a plain model name (first provider that offers it). */
    model: z.string().trim().min(1).max(300),
    /** Share of traffic for `weighted` (relative, default 1). */
    weight: z.number().positive().max(1_000_000).optional(),
    /** Request fields forced for this target (e.g. `{ temperature: 0, max_tokens: 512 }`). */
    params: z.record(z.string(), z.unknown()).optional(),
    timeouts: timeoutsSchema.optional(),
    when: routeConditionSchema.optional(),
  })
  .strict();

export const retrySchema = z
  .object({
    /** Attempts per target including the first (1 = no retry). */
    attempts: z.number().int().min(1).max(10).default(2),
    baseDelayMs: z.number().int().nonnegative().max(60_000).default(200),
    maxDelayMs: z.number().int().positive().max(300_000).default(5_000),
  })
  .strict();

export const breakerSchema = z
  .object({
    /** Failures within `windowMs` that open the breaker. */
    failureThreshold: z.number().int().min(1).max(1000).default(5),
    windowMs: z.number().int().positive().max(3_600_000).default(30_000),
    /** How long the breaker stays open before a half-open probe. */
    cooldownMs: z.number().int().positive().max(3_600_000).default(30_000),
  })
  .strict();

/** When a cascade escalates from a cheaper target to the next one. */
export const cascadeCheckSchema = z
  .object({
    /** Escalate when the mean token probability (from logprobs, when the target returns them) is below this. */
    minConfidence: z.number().min(0).max(1).optional(),
    /** Escalate when the answer looks like a refusal ("I can't help with that", …). */
    refusal: z.boolean().default(true),
    /** Escalate when the answer is empty. */
    empty: z.boolean().default(true),
    /** Escalate when the answer has fewer characters than this. */
    minLength: z.number().int().nonnegative().optional(),
    /** Escalate when the request asked for JSON and the answer does not parse. */
    invalidJson: z.boolean().default(true),
  })
  .strict();

/** How requests to the route use the response cache (each field overrides the org's setting). */
export const routeCacheSchema = z
  .object({
    /** `auto`: cache only temperature-0 requests; `on`: every request; `off`: none. */
    mode: z.enum(["auto", "on", "off"]).optional(),
    ttlSeconds: z.number().int().min(1).max(30 * 86_400).optional(),
    /** Semantic matching for this route: a similarity threshold, or false to turn it off. */
    semantic: z
      .union([z.literal(false), z.object({ threshold: z.number().min(0.5).max(1) }).strict()])
      .optional(),
  })
  .strict();

export const routeDefinitionSchema = z
  .object({
    name: z
      .string()
      .trim()
      .regex(
        ROUTE_NAME_PATTERN,
        "Use 1–100 letters, digits, '.', '_', ':' or '-' (no '/': clients send the name as `model`)",
      ),
    description: z.string().max(500).optional(),
    strategy: z.enum(ROUTE_STRATEGIES).default("fallback"),
    targets: z.array(routeTargetSchema).min(1).max(20),
    retry: retrySchema.optional(),
    breaker: breakerSchema.optional(),
    /** Hedged requests: start the next target if the first has not answered after this long. */
    hedgeAfterMs: z.number().int().positive().max(600_000).optional(),
    cascade: cascadeCheckSchema.optional(),
    cache: routeCacheSchema.optional(),
  })
  .strict();

export type RouteCondition = z.infer<typeof routeConditionSchema>;
export type RouteTarget = z.infer<typeof routeTargetSchema>;
export type RetryPolicy = z.infer<typeof retrySchema>;
export type BreakerPolicy = z.infer<typeof breakerSchema>;
export type CascadeCheck = z.infer<typeof cascadeCheckSchema>;
/** A validated route (defaults applied). */
export type RouteDefinition = z.infer<typeof routeDefinitionSchema>;
/** A route as written (before defaults). */
export type RouteDefinitionInput = z.input<typeof routeDefinitionSchema>;

export const DEFAULT_RETRY: RetryPolicy = { attempts: 2, baseDelayMs: 200, maxDelayMs: 5_000 };
export const DEFAULT_BREAKER: BreakerPolicy = {
  failureThreshold: 5,
  windowMs: 30_000,
  cooldownMs: 30_000,
};
