import { randomUUID } from "node:crypto";
import { getProviderAdapter, PROVIDER_TYPES } from "~/providers/registry";
import type { ModelListing, ProviderAdapter, ProviderConfig } from "~/providers/types";

/**
 * The one place provider management reaches into the provider registry: which adapter types
 * exist, and model listing through an adapter. No branching on provider types here.
 */

/** Adapter types an org provider may use (every type the registry knows). */
export function knownProviderTypes(): readonly string[] {
  return PROVIDER_TYPES;
}

export function isKnownProviderType(type: string): boolean {
  return knownProviderTypes().includes(type);
}

function adapterFor(type: string): ProviderAdapter {
  const adapter = getProviderAdapter(type);
  if (!adapter) throw new Error(`No provider adapter for type ${type}.`);
  return adapter;
}

/** The upstream's model listing through its adapter (throws the adapter's `ProviderError`). */
export async function listUpstreamModels(
  config: ProviderConfig,
  signal: AbortSignal,
): Promise<ModelListing[]> {
  return adapterFor(config.type).listModels(config, { signal, requestId: `req_${randomUUID()}` });
}
