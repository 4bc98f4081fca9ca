import { anthropicAdapter } from "./anthropic";
import { azureOpenAIAdapter } from "./azure-openai";
import { geminiAdapter } from "./gemini";
import { mockAdapter } from "./mock";
import { openAIAdapter } from "./openai";
import { openAICompatibleAdapter } from "./openai-compatible";
import type { ProviderAdapter } from "./types";

/** Provider type → adapter. Adding a provider = its folder + one line here + recorded fixtures. */
const adapters: ReadonlyMap<string, ProviderAdapter> = new Map<string, ProviderAdapter>([
  ["openai", openAIAdapter],
  ["openai-compatible", openAICompatibleAdapter],
  ["anthropic", anthropicAdapter],
  ["gemini", geminiAdapter],
  ["azure-openai", azureOpenAIAdapter],
  ["mock", mockAdapter],
]);

/** Looks adapters up by provider type (the gateway takes one as a port; tests pass their own). */
export interface ProviderRegistry {
  get(type: string): ProviderAdapter | undefined;
}

export const providerRegistry: ProviderRegistry = adapters;

export function getProviderAdapter(type: string): ProviderAdapter | undefined {
  return adapters.get(type);
}

/** The provider types this build supports. */
export const PROVIDER_TYPES: readonly string[] = Object.freeze([...adapters.keys()]);
