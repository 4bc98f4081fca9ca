import type { ProviderConfig } from "~/providers/types";
import type { GatewayContext, ModelTarget } from "../context";
import { GatewayError } from "../gateway-error";
import { modelIdsForKey, resolveModel } from "../models/model-index";
import type { ApiKeyRecord, MaybePromise, ProviderDirectory, RouteDirectory } from "../ports";
import type { RouteDefinition } from "../routing/route-schema";
import {
  findRoute,
  keyMayUseRoute,
  resolveRoute,
  type ResolvedRoute,
} from "../routing/route-index";

/** How many model ids a "model not found" message lists. */
const LISTED_IN_ERROR = 20;

function notFound(
  requested: string,
  providers: readonly ProviderConfig[],
  key: ApiKeyRecord,
): GatewayError {
  const ids = modelIdsForKey(providers, key).map((m) => m.id);
  const shown = ids.slice(0, LISTED_IN_ERROR).join(", ");
  const more =
    ids.length > LISTED_IN_ERROR
      ? ` (and ${ids.length - LISTED_IN_ERROR} more; see GET /v1/models)`
      : "";
  const available =
    ids.length === 0
      ? " No models are available to this key yet: add a provider in the Switchyard console."
      : ` Available models: ${shown}${more}.`;
  return new GatewayError(
    "model_not_found",
    404,
    `The model \`${requested.slice(0, 256)}\` does not exist or you do not have access to it.${available}`,
    "model",
  );
}

/**
 * Finds what `ctx.requestedModel` names: a route (virtual model) of the org, or a provider and
 * upstream model (404 unknown, 403 outside the key's allow-list). Route names win over plain
 * model names; `provider/model` never names a route. For a route, the key's allow-list applies to
 * the route name, and its targets resolve like direct models: targets no provider offers are left
 * out (and recorded by the caller); a route with none left is 404.
 */
export async function resolveTarget(
  ctx: GatewayContext,
  key: ApiKeyRecord,
  directory: ProviderDirectory,
  routes?: RouteDirectory,
): Promise<ModelTarget | ResolvedRoute> {
  const requested = ctx.requestedModel!;
  let route: RouteDefinition | undefined;
  if (routes !== undefined && !requested.includes("/")) {
    const listed: MaybePromise<readonly RouteDefinition[]> = routes.forOrg(key.orgId);
    route = findRoute(listed instanceof Promise ? await listed : listed, requested);
  }
  const listed: MaybePromise<readonly ProviderConfig[]> = directory.listForOrg(key.orgId);
  const providers = listed instanceof Promise ? await listed : listed;
  if (route !== undefined) return resolveRouteFor(ctx, key, route, providers);
  const resolution = resolveModel(providers, requested, key);
  if (resolution.kind === "not-found") throw notFound(requested, providers, key);
  if (resolution.kind === "not-allowed") throw notAllowed(requested);
  ctx.target = resolution.target;
  return resolution.target;
}

function notAllowed(requested: string): GatewayError {
  return new GatewayError(
    "model_not_allowed",
    403,
    `This API key is not allowed to use the model \`${requested.slice(0, 256)}\`.`,
    "model",
  );
}

function resolveRouteFor(
  ctx: GatewayContext,
  key: ApiKeyRecord,
  route: RouteDefinition,
  providers: readonly ProviderConfig[],
): ResolvedRoute {
  if (!keyMayUseRoute(key, route.name)) throw notAllowed(route.name);
  const resolved = resolveRoute(route, providers, key.orgId);
  if (resolved.candidates.length === 0) {
    const targets = route.targets.map((t) => `\`${t.model.slice(0, 256)}\``).join(", ");
    throw new GatewayError(
      "model_not_found",
      404,
      `The route \`${route.name}\` has no target this organization can reach: no configured provider offers ${targets}. Add a provider for them in the Switchyard console, or change the route's targets.`,
      "model",
    );
  }
  ctx.route = resolved;
  return resolved;
}

/** Whether `resolveTarget` found a route. */
export function isRoute(resolved: ModelTarget | ResolvedRoute): resolved is ResolvedRoute {
  return "candidates" in resolved;
}
