import type { ProviderConfig } from "~/providers/types";
import type { ModelTarget } from "../context";
import type {
  ApiKeyRecord,
  ModelCatalog,
  ModelInfo,
  ProviderDirectory,
  RouteDirectory,
} from "../ports";
import { keyMayUseRoute } from "../routing/route-index";

/**
 * Which models an org can reach, from its provider list: every model as `provider/model`, and
 * as a plain id served by the first provider (in directory order) offering it that the key may
 * use. Built once per provider-list instance (the directory caches its lists), so resolving a
 * model on the hot path is a couple of map lookups.
 */
interface ModelIndex {
  providers: Map<string, { config: ProviderConfig; models: Set<string> }>;
  /** Plain model id → the providers offering it, in directory order. */
  offeredBy: Map<string, ProviderConfig[]>;
}

const indexes = new WeakMap<readonly ProviderConfig[], ModelIndex>();

function indexFor(providers: readonly ProviderConfig[]): ModelIndex {
  let index = indexes.get(providers);
  if (index) return index;
  index = { providers: new Map(), offeredBy: new Map() };
  for (const config of providers) {
    if (index.providers.has(config.id)) continue; // the first of a name wins
    index.providers.set(config.id, { config, models: new Set(config.models) });
    for (const model of config.models) {
      const list = index.offeredBy.get(model);
      if (list) list.push(config);
      else index.offeredBy.set(model, [config]);
    }
  }
  indexes.set(providers, index);
  return index;
}

/** A key's allow-list as a set (built once per key record). Entries: `model`, `provider/model`, `provider/*`, `*`. */
const allowSets = new WeakMap<readonly string[], ReadonlySet<string>>();

function allowSet(key: ApiKeyRecord): ReadonlySet<string> | null {
  const list = key.allowedModels;
  if (list === null) return null;
  let set = allowSets.get(list);
  if (!set) {
    set = new Set(list);
    allowSets.set(list, set);
  }
  return set;
}

export function isAllowed(
  allow: ReadonlySet<string> | null,
  providerId: string,
  model: string,
): boolean {
  return (
    allow === null ||
    allow.has(model) ||
    allow.has(`${providerId}/${model}`) ||
    allow.has(`${providerId}/*`) ||
    allow.has("*")
  );
}

export type Resolution =
  | { kind: "ok"; target: ModelTarget }
  | { kind: "not-found" }
  | { kind: "not-allowed"; target: ModelTarget };

/**
 * `provider/model` (a provider of that name offering the model, or any model when the provider
 * lists none) or a plain `model`. A plain id goes to the first provider offering it that the key
 * may use; `not-allowed` when providers offer it but the key may use none of them.
 */
export function resolveModel(
  providers: readonly ProviderConfig[],
  requested: string,
  key: ApiKeyRecord,
): Resolution {
  const index = indexFor(providers);
  const allow = allowSet(key);
  const slash = requested.indexOf("/");
  if (slash > 0) {
    const entry = index.providers.get(requested.slice(0, slash));
    const model = requested.slice(slash + 1);
    if (entry && model !== "" && (entry.models.has(model) || entry.models.size === 0)) {
      const target = { provider: entry.config, model };
      return isAllowed(allow, entry.config.id, model)
        ? { kind: "ok", target }
        : { kind: "not-allowed", target };
    }
  }
  const offering = index.offeredBy.get(requested);
  if (!offering) return { kind: "not-found" };
  for (const config of offering) {
    if (isAllowed(allow, config.id, requested))
      return { kind: "ok", target: { provider: config, model: requested } };
  }
  return { kind: "not-allowed", target: { provider: offering[0]!, model: requested } };
}

/** Model ids this key may call: plain ids first (directory order), then every `provider/model`. */
export function modelIdsForKey(
  providers: readonly ProviderConfig[],
  key: ApiKeyRecord,
): { id: string; ownedBy: string }[] {
  const index = indexFor(providers);
  const allow = allowSet(key);
  const plain: { id: string; ownedBy: string }[] = [];
  const prefixed: { id: string; ownedBy: string }[] = [];
  for (const [model, offering] of index.offeredBy) {
    const first = offering.find((config) => isAllowed(allow, config.id, model));
    if (first) plain.push({ id: model, ownedBy: first.id });
  }
  for (const { config, models } of index.providers.values()) {
    for (const model of models) {
      if (isAllowed(allow, config.id, model))
        prefixed.push({ id: `${config.id}/${model}`, ownedBy: config.id });
    }
  }
  return [...plain, ...prefixed];
}

/** `owned_by` of a route (virtual model) in `GET /v1/models`. */
export const ROUTE_OWNER = "switchyard-route";

/**
 * `GET /v1/models` over the provider directory: the org's routes (virtual models) the key may
 * call first, then every model its providers offer.
 */
export function createProviderModelCatalog(
  directory: ProviderDirectory,
  routes?: RouteDirectory,
): ModelCatalog {
  const toInfo = ({ id, ownedBy }: { id: string; ownedBy: string }): ModelInfo => ({
    id,
    object: "model",
    created: 0,
    owned_by: ownedBy,
  });
  return {
    async listModels(key) {
      const models = modelIdsForKey(await directory.listForOrg(key.orgId), key).map(toInfo);
      if (!routes) return models;
      const named = (await routes.forOrg(key.orgId))
        .filter((r) => keyMayUseRoute(key, r.name))
        .map((r) => toInfo({ id: r.name, ownedBy: ROUTE_OWNER }));
      if (named.length === 0) return models;
      // A route shadows a model of the same name (the gateway resolves the route first).
      const taken = new Set(named.map((m) => m.id));
      return [...named, ...models.filter((m) => !taken.has(m.id))];
    },
  };
}
