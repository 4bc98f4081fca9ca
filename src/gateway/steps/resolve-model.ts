import type { ProviderConfig } from "~/providers/types";
import type { GatewayContext, ModelTarget } from "../context";
import { GatewayError } from "../gateway-error";
import { modelIdsForKey, resolveModel } from "../models/model-index";
import type { ApiKeyRecord, MaybePromise, ProviderDirectory } from "../ports";

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

/** Finds the provider and upstream model for `ctx.requestedModel` (404 unknown, 403 outside the key's allow-list). */
export async function resolveTarget(
  ctx: GatewayContext,
  key: ApiKeyRecord,
  directory: ProviderDirectory,
): Promise<ModelTarget> {
  const listed: MaybePromise<readonly ProviderConfig[]> = directory.listForOrg(key.orgId);
  const providers = listed instanceof Promise ? await listed : listed;
  const requested = ctx.requestedModel!;
  const resolution = resolveModel(providers, requested, key);
  if (resolution.kind === "not-found") throw notFound(requested, providers, key);
  if (resolution.kind === "not-allowed") {
    throw new GatewayError(
      "model_not_allowed",
      403,
      `This API key is not allowed to use the model \`${requested.slice(0, 256)}\`.`,
      "model",
    );
  }
  ctx.target = resolution.target;
  return resolution.target;
}
