import type { ApiKeyRecord } from "~/gateway/ports";
import { resolveModel } from "~/gateway/models/model-index";
import type { RouteDefinition } from "~/gateway/routing/route-schema";
import type { ProviderConfig } from "~/providers/types";

/**
 * Things about a route that are allowed but probably not meant: its name hides a model the org
 * can call directly, it replaces an instance route, or a target names a model no provider of the
 * org offers (skipped at request time). Shown after saving; they never block it.
 */

/** Targets resolve like a route's own targets: no key allow-list applies to them. */
export const ANY_KEY: ApiKeyRecord = {
  id: "",
  orgId: "",
  name: "",
  allowedModels: null,
  metadata: {},
  expiresAt: null,
  revokedAt: null,
};

export function routeWarnings(
  route: RouteDefinition,
  context: { providers: readonly ProviderConfig[]; instanceRouteNames: ReadonlySet<string> },
): string[] {
  const warnings: string[] = [];
  const shadowed = resolveModel(context.providers, route.name, ANY_KEY);
  if (shadowed.kind !== "not-found") {
    warnings.push(
      `"${route.name}" is also a model this organization can call (on ${shadowed.target.provider.id}); requests for "${route.name}" now go to this route. Use ${shadowed.target.provider.id}/${route.name} to reach the model directly.`,
    );
  }
  if (context.instanceRouteNames.has(route.name)) {
    warnings.push(
      `The instance-wide route "${route.name}" (from the server's config file) is replaced by this one for this organization.`,
    );
  }
  const missing = new Set<string>();
  for (const target of route.targets) {
    if (resolveModel(context.providers, target.model, ANY_KEY).kind === "not-found") {
      missing.add(target.model);
    }
  }
  for (const model of missing) {
    warnings.push(
      `No provider of this organization offers "${model}": that target is skipped until one does.`,
    );
  }
  return warnings;
}

/** Warnings for several routes at once, each prefixed with its route's name. */
export function routesWarnings(
  routes: readonly RouteDefinition[],
  context: Parameters<typeof routeWarnings>[1],
): string[] {
  return routes.flatMap((route) => routeWarnings(route, context).map((w) => `${route.name}: ${w}`));
}
