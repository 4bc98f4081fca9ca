import { z } from "zod";
import type { RouteDefinition } from "~/gateway/routing/route-schema";
import { checkRouteDefinition } from "./route-validation";

/** Limits of the route feature's inputs (the route itself is limited by its own schema). */
export const ROUTE_LIMITS = {
  /** A document for `routes apply`: generous for hundreds of routes, bounded for the server. */
  documentMax: 1_000_000,
  promptMax: 8_000,
  maxTokensMax: 4_096,
} as const;

export const routeIdSchema = z.string().trim().min(1).max(64);
const versionSchema = z.number().int().positive();

/**
 * Turns `definition` into a validated route. Issues are re-emitted at the top level keyed by the
 * field path inside the route (`name`, `targets.0.model`): tRPC's flattened `fieldErrors` then say
 * which field is wrong, which the console shows next to that field.
 */
function withDefinition<T extends { definition?: unknown }>(
  input: T,
  ctx: z.RefinementCtx,
): Omit<T, "definition"> & { definition: RouteDefinition | undefined } {
  if (input.definition === undefined) return { ...input, definition: undefined };
  const checked = checkRouteDefinition(input.definition);
  if (checked.ok) return { ...input, definition: checked.route };
  for (const problem of checked.problems) {
    ctx.addIssue({
      code: "custom",
      message: problem.message,
      path: [problem.path || "definition"],
    });
  }
  return z.NEVER;
}

export const createRouteInput = z
  .object({
    definition: z.unknown().refine((v) => v !== undefined, "A route definition is required"),
    /** Default: enabled. */
    enabled: z.boolean().optional(),
  })
  .transform((input, ctx) => {
    const out = withDefinition(input, ctx);
    return { ...out, definition: out.definition! };
  });
export type CreateRouteInput = z.output<typeof createRouteInput>;

export const updateRouteInput = z
  .object({
    id: routeIdSchema,
    /** The version the edit was made from: a newer stored version refuses the edit (CONFLICT). */
    version: versionSchema,
    /** Omitted = keep the definition (e.g. only `enabled` changes). */
    definition: z.unknown().optional(),
    enabled: z.boolean().optional(),
  })
  .transform(withDefinition);
export type UpdateRouteInput = z.output<typeof updateRouteInput>;

export const setRouteEnabledInput = z.object({
  id: routeIdSchema,
  enabled: z.boolean(),
  /** When given, a newer stored version refuses the change (CONFLICT). */
  version: versionSchema.optional(),
});
export type SetRouteEnabledInput = z.infer<typeof setRouteEnabledInput>;

export const routeIdInput = z.object({ id: routeIdSchema });

export const deleteRouteInput = z
  .object({
    id: routeIdSchema.optional(),
    /** The CLI deletes by name. */
    name: z.string().trim().min(1).max(100).optional(),
    version: versionSchema.optional(),
  })
  .refine((v) => (v.id === undefined) !== (v.name === undefined), "Give a route id or a name");
export type DeleteRouteInput = z.infer<typeof deleteRouteInput>;

export const applyRoutesInput = z.object({
  /** `routes:` with a list, a bare list, or one route; YAML or JSON. */
  document: z
    .string()
    .min(1, "The document is empty")
    .max(ROUTE_LIMITS.documentMax, "The document is larger than 1 MB"),
});
export type ApplyRoutesInput = z.infer<typeof applyRoutesInput>;

export const tryRouteInput = z.object({
  name: z.string().trim().min(1, "Choose a route").max(100),
  prompt: z
    .string()
    .trim()
    .min(1, "Write a prompt")
    .max(ROUTE_LIMITS.promptMax, `At most ${ROUTE_LIMITS.promptMax} characters`),
  maxTokens: z.number().int().min(1).max(ROUTE_LIMITS.maxTokensMax).optional(),
});
export type TryRouteInput = z.infer<typeof tryRouteInput>;
