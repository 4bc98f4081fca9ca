import { requestUpstream } from "../http/upstream-call";
import { parseModelList } from "../openai/openai-wire";
import { ProviderError, type CallOptions, type ModelListing, type ProviderConfig } from "../types";
import { azureAuthHeaders } from "./azure-auth";
import { azureAddressing } from "./azure-urls";

/**
 * What an Azure OpenAI resource offers, for model discovery and the connection test. Clients
 * call *deployments* (their names are the model names), but listing them is not part of every
 * data-plane API version, so this tries, in order:
 *
 *  1. `GET {resource}/openai/deployments?api-version=2022-12-01`: the deployments (the names
 *     clients call). Still answered by many resources, though newer API versions dropped it.
 *  2. `GET {resource}/openai/models?api-version={apiVersion}` (or `/openai/v1/models` on the v1
 *     API): the models the resource can deploy. These are model ids, not deployment names:
 *     they match only where deployments are named after their model.
 *  3. Neither answers: the provider's configured model list (enter the deployment names by hand).
 *
 * A refused key (401/403), rate limiting (429), a timeout or an unreachable host fails the
 * listing at once instead of falling back: the connection test must report them.
 */

/** The last data-plane version that lists deployments. */
export const AZURE_DEPLOYMENTS_API_VERSION = "2022-12-01";

async function get(
  config: ProviderConfig,
  resourceURL: string,
  path: string,
  call: CallOptions,
): Promise<string> {
  const reply = await requestUpstream({
    baseURL: resourceURL,
    path,
    method: "GET",
    headers: {
      "user-agent": "switchyard",
      ...config.headers,
      ...azureAuthHeaders(config),
      "x-request-id": call.requestId,
    },
    timeouts: config.timeouts,
    signal: call.signal,
    onCancel: call.onCancel,
    secret: config.apiKey,
    publicAddressesOnly: config.publicAddressesOnly,
  });
  return reply.text;
}

/** Deployments that can take calls (a deployment still being created or failed cannot). */
function usableDeployments(text: string): ModelListing[] {
  const listing = parseModelList(text);
  const data = (JSON.parse(text) as { data?: unknown }).data as
    { id?: unknown; status?: unknown }[] | undefined;
  const unusable = new Set(
    (data ?? [])
      .filter((d) => d && typeof d.status === "string" && d.status !== "succeeded")
      .map((d) => d.id),
  );
  return listing.filter((m) => !unusable.has(m.id));
}

/** Whether a failed listing says something about the provider itself (not about the endpoint). */
function isDecisive(err: unknown): boolean {
  if (!(err instanceof ProviderError)) return true; // aborted, or a bug: never hidden
  if (err.kind === "timeout" || err.kind === "connect") return true;
  return err.kind === "http" && [401, 403, 429].includes(err.status);
}

export async function listAzureModels(
  config: ProviderConfig,
  call: CallOptions,
): Promise<ModelListing[]> {
  const at = azureAddressing(config);
  const attempts: { path: string; read(text: string): ModelListing[] }[] = [
    {
      path: `/openai/deployments?api-version=${AZURE_DEPLOYMENTS_API_VERSION}`,
      read: usableDeployments,
    },
    {
      path: at.mode === "v1" ? "/openai/v1/models" : `/openai/models${at.query}`,
      read: parseModelList,
    },
  ];
  for (const attempt of attempts) {
    try {
      return attempt.read(await get(config, at.resourceURL, attempt.path, call));
    } catch (err) {
      if (isDecisive(err)) throw err;
      // This resource does not answer this listing: try the next one.
    }
  }
  return config.models.map((id) => ({ id }));
}
