import { ProviderError, type JsonObject, type ProviderConfig } from "../types";
import type { OpenAIPath } from "../openai/openai-wire";

/**
 * Where Azure OpenAI calls go. Azure speaks OpenAI's wire format but has two ways of addressing
 * a model:
 *
 *  - **Deployments** (the dated data-plane API): the model is a *deployment* named in the URL,
 *    and every call carries an `api-version` query parameter:
 *    `{resource}/openai/deployments/{deployment}/chat/completions?api-version=2024-10-21`.
 *    The deployment is the upstream model name the gateway put in `body.model`.
 *  - **v1** (Azure's OpenAI-style `/openai/v1` API): `{resource}/openai/v1/chat/completions`,
 *    the deployment in `body.model` as with OpenAI, no `api-version`. Chosen when the provider's
 *    `apiVersion` option is `v1`, or when its base URL already ends in `/openai/v1` (the URL then
 *    wins over a dated `apiVersion`).
 *
 * The base URL is the resource endpoint (`https://<resource>.openai.azure.com`, a
 * `*.cognitiveservices.azure.com` endpoint, or a proxy in front of one); `…/openai` and
 * `…/openai/v1` suffixes are understood too.
 */

/** The api-version used when the provider sets none: the latest GA data-plane version. */
export const AZURE_DEFAULT_API_VERSION = "2024-10-21";

/** `v1`, or a dated version (`2024-10-21`, `2025-04-01-preview`). */
export const AZURE_API_VERSION_PATTERN = /^(v1|\d{4}-\d{2}-\d{2}(-preview)?)$/;

export interface AzureAddressing {
  mode: "v1" | "deployments";
  /**
   * Relative to the base URL's path: v1 → where `/chat/completions` etc. follow; deployments →
   * where `/deployments/{name}/…` and `/models` follow (the resource's `/openai`).
   */
  prefix: string;
  /** `?api-version=…` (deployment calls only). */
  query: string;
  /** The resource endpoint without any `/openai…` suffix (for calls outside the base path). */
  resourceURL: string;
  /** `v1`, or the dated version deployment calls carry. */
  apiVersion: string;
}

/** The provider's configured api-version (its `apiVersion` option), or the default. */
export function azureApiVersion(config: ProviderConfig): string {
  const configured = config.options?.apiVersion?.trim();
  return configured ? configured : AZURE_DEFAULT_API_VERSION;
}

// Configs are long-lived (cached by the provider directory): worked out once per config.
const addressing = new WeakMap<ProviderConfig, AzureAddressing>();

export function azureAddressing(config: ProviderConfig): AzureAddressing {
  let found = addressing.get(config);
  if (found) return found;
  const base = config.baseURL.replace(/\/+$/, "");
  const configured = azureApiVersion(config);
  if (/\/openai\/v1$/i.test(base)) {
    found = {
      mode: "v1",
      prefix: "",
      query: "",
      resourceURL: base.replace(/\/openai\/v1$/i, ""),
      apiVersion: "v1",
    };
  } else {
    // The base URL is the resource endpoint, or already ends in its `/openai`.
    const endsInOpenAI = /\/openai$/i.test(base);
    const openai = endsInOpenAI ? "" : "/openai";
    const v1 = configured === "v1";
    found = {
      mode: v1 ? "v1" : "deployments",
      prefix: v1 ? `${openai}/v1` : openai,
      query: v1 ? "" : `?api-version=${encodeURIComponent(configured)}`,
      resourceURL: endsInOpenAI ? base.replace(/\/openai$/i, "") : base,
      apiVersion: configured,
    };
  }
  addressing.set(config, found);
  return found;
}

function deploymentOf(config: ProviderConfig, body: JsonObject | undefined): string {
  const model = body?.model;
  if (typeof model !== "string" || model === "") {
    throw new ProviderError({
      message: `the provider '${config.id}' (Azure OpenAI) needs a model: the deployment name`,
      status: 400,
      kind: "http",
      isRetryable: false,
      code: "model_not_found",
      param: "model",
    });
  }
  return encodeURIComponent(model);
}

/** The path (and query) after the base URL's own path for one OpenAI endpoint. */
export function azurePath(
  config: ProviderConfig,
  path: OpenAIPath,
  body: JsonObject | undefined,
): string {
  const at = azureAddressing(config);
  if (at.mode === "v1") return at.prefix + path;
  // Listing models is not per deployment (azure-models.ts says how deployments are listed).
  if (path === "/models") return `${at.prefix}/models${at.query}`;
  return `${at.prefix}/deployments/${deploymentOf(config, body)}${path}${at.query}`;
}
