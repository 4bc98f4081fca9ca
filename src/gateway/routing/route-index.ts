import type { ProviderConfig } from "~/providers/types";
import { resolveModel } from "../models/model-index";
import type { ApiKeyRecord } from "../ports";
import { breakerKey } from "./circuit-breaker";
import type { RouteCandidate } from "./route-candidate";
import type { RouteDefinition, RouteTarget } from "./route-schema";

/**
 * Route lookup and target resolution, cached per list instance (directories cache their lists,
 * so on the hot path this is a couple of map lookups, as for plain models).
 */

const byName = new WeakMap<readonly RouteDefinition[], Map<string, RouteDefinition>>();

/** The route called `name` (the first of that name: an org's own routes come before instance ones). */
export function findRoute(
  routes: readonly RouteDefinition[],
  name: string,
): RouteDefinition | undefined {
  if (routes.length === 0) return undefined;
  let index = byName.get(routes);
  if (index === undefined) {
    index = new Map();
    for (const route of routes) if (!index.has(route.name)) index.set(route.name, route);
    byName.set(routes, index);
  }
  return index.get(name);
}

/** Whether a key's allow-list lets it call the route (the route name is what is checked). */
export function keyMayUseRoute(key: ApiKeyRecord, name: string): boolean {
  const allowed = key.allowedModels;
  return allowed === null || allowed.includes(name) || allowed.includes("*");
}

/** A route target whose model no provider of the org offers. */
export interface UnresolvedTarget {
  spec: RouteTarget;
  providerId: string;
  model: string;
}

export interface ResolvedRoute {
  definition: RouteDefinition;
  /** Targets that resolved, in written order. */
  candidates: readonly RouteCandidate[];
  unresolved: readonly UnresolvedTarget[];
}

/**
 * Targets are resolved like a direct model, but the key's allow-list is not applied to them: it
 * was checked against the route name, and the route's author chose the targets.
 */
const UNRESTRICTED: ApiKeyRecord = {
  id: "",
  orgId: "",
  name: "",
  allowedModels: null,
  metadata: {},
  expiresAt: null,
  revokedAt: null,
};

interface Cached {
  providers: readonly ProviderConfig[];
  orgId: string;
  resolved: ResolvedRoute;
}

const resolutions = new WeakMap<RouteDefinition, Cached>();

function withTimeouts(provider: ProviderConfig, spec: RouteTarget): ProviderConfig {
  if (spec.timeouts === undefined) return provider;
  return { ...provider, timeouts: { ...provider.timeouts, ...spec.timeouts } };
}

export function resolveRoute(
  definition: RouteDefinition,
  providers: readonly ProviderConfig[],
  orgId: string,
): ResolvedRoute {
  const cached = resolutions.get(definition);
  if (cached !== undefined && cached.providers === providers && cached.orgId === orgId) {
    return cached.resolved;
  }
  const candidates: RouteCandidate[] = [];
  const unresolved: UnresolvedTarget[] = [];
  for (const spec of definition.targets) {
    const resolution = resolveModel(providers, spec.model, UNRESTRICTED);
    if (resolution.kind !== "ok") {
      const slash = spec.model.indexOf("/");
      unresolved.push({
        spec,
        providerId: slash > 0 ? spec.model.slice(0, slash) : "",
        model: slash > 0 ? spec.model.slice(slash + 1) : spec.model,
      });
      continue;
    }
    const { provider, model } = resolution.target;
    const named = { orgId, providerId: provider.id, model };
    candidates.push({
      ...named,
      key: breakerKey(named),
      target: { provider: withTimeouts(provider, spec), model },
      spec,
    });
  }
  const resolved: ResolvedRoute = { definition, candidates, unresolved };
  resolutions.set(definition, { providers, orgId, resolved });
  return resolved;
}
