import { createOpenAIWireAdapter } from "../openai/openai-wire";
import type { ProviderAdapter } from "../types";
import { azureAuthHeaders } from "./azure-auth";
import { listAzureModels } from "./azure-models";
import { azurePath } from "./azure-urls";
import { asContentFilterError } from "./content-filter";

/**
 * Azure OpenAI Service. It speaks OpenAI's wire format, so requests and answers (JSON and SSE,
 * including Azure's extra `prompt_filter_results` / `content_filter_results`) pass through
 * unchanged; what differs is the address (see azure-urls.ts: a deployment in the URL plus an
 * `api-version`, or the v1 API), the `api-key` header, model listing (azure-models.ts) and
 * content-filter refusals (content-filter.ts).
 *
 * Provider settings: base URL = the resource endpoint (`https://<resource>.openai.azure.com`,
 * no default); API key = one of the resource's keys; option `apiVersion` = `v1` or a dated
 * version (default `2024-10-21`, the latest GA one); models = the deployment names.
 */
const wire = createOpenAIWireAdapter({
  type: "azure-openai",
  auth: azureAuthHeaders,
  url: azurePath,
});

const reject = (err: unknown): never => {
  throw asContentFilterError(err);
};

export const azureOpenAIAdapter: ProviderAdapter = {
  type: "azure-openai",
  chat: (config, body, call) => wire.chat(config, body, call).catch(reject),
  chatStream: (config, body, call) => wire.chatStream(config, body, call).catch(reject),
  embed: (config, body, call) => wire.embed(config, body, call).catch(reject),
  completions: (config, body, call) => wire.completions!(config, body, call).catch(reject),
  completionsStream: (config, body, call) =>
    wire.completionsStream!(config, body, call).catch(reject),
  listModels: listAzureModels,
};
