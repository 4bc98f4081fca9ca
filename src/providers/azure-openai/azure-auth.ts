import type { ProviderConfig } from "../types";

/** Azure OpenAI takes its key in an `api-key` header, not as a Bearer token. */
export function azureAuthHeaders(config: ProviderConfig): Record<string, string> {
  return config.apiKey ? { "api-key": config.apiKey } : {};
}
