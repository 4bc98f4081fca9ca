import type { z } from "zod";
import { routeDefinitionSchema, type RouteDefinition } from "~/gateway/routing/route-schema";

/**
 * Route validation for every entry point (console form, console text mode, tRPC, CLI, apply):
 * `routeDefinitionSchema` is the one rulebook; this only turns its issues into problems keyed by
 * field path (`targets.0.model`), which forms show next to the field and documents next to a line.
 */

export interface RouteProblem {
  /** Dot path inside the route (`name`, `targets.1.weight`); "" for the route as a whole. */
  path: string;
  message: string;
}

export type RouteCheck =
  { ok: true; route: RouteDefinition } | { ok: false; problems: RouteProblem[] };

export function pathKey(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join(".");
}

/** zod's wording, made to read well next to a field. */
function problemMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) {
    return `Required (expected ${issue.expected})`;
  }
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `"${k}"`).join(", ");
    return `Unknown field${issue.keys.length === 1 ? "" : "s"} ${keys}`;
  }
  return issue.message;
}

export function routeProblems(error: z.ZodError): RouteProblem[] {
  return error.issues.map((issue) => ({
    path: pathKey(issue.path),
    message: problemMessage(issue),
  }));
}

/** Validates one route as written (defaults applied on success). */
export function checkRouteDefinition(value: unknown): RouteCheck {
  const parsed = routeDefinitionSchema.safeParse(value);
  return parsed.success
    ? { ok: true, route: parsed.data }
    : { ok: false, problems: routeProblems(parsed.error) };
}

/** The first problem of each field, keyed by path: what a form shows. */
export function problemsByField(problems: readonly RouteProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const problem of problems) out[problem.path] ??= problem.message;
  return out;
}

/** Stable JSON (keys sorted): two routes are the same when these are equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v as Record<string, unknown>).sort()) {
      sorted[key] = (v as Record<string, unknown>)[key];
    }
    return sorted;
  });
}
