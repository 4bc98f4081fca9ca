import type { ModelCatalog, ModelInfo } from "~/gateway/ports";

const NO_MODELS: readonly ModelInfo[] = Object.freeze([]);

/** The models a key may call. Empty until providers are configured (the provider registry fills this in). */
export function createModelCatalog(): ModelCatalog {
  return { listModels: () => NO_MODELS };
}
