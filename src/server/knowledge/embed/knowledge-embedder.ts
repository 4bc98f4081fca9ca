import type { ProviderDirectory } from "~/gateway/ports";
import { resolveModel } from "~/gateway/models/model-index";
import { localEmbedder } from "~/lib/embeddings/local-embedder";
import type { Embedder } from "~/lib/embeddings/types";
import { getProviderAdapter } from "~/providers/registry";
import { NEVER_ABORTED_SIGNAL } from "~/providers/types";
import { KNOWLEDGE_EMBEDDING_DIMENSIONS } from "~/server/db/schema-vector/knowledge-chunks";

/**
 * The embedder a vector store uses: the built-in local embedder (offline, deterministic) when
 * the store names no model, else the org's `provider/model` through its provider adapter, asked
 * for 384 dimensions (the width of `knowledge_chunks.embedding`; OpenAI's text-embedding-3
 * models and most OpenAI-compatible servers honour `dimensions`). A model that answers with
 * another width is refused with a message that says so.
 */

export class EmbeddingModelError extends Error {
  override name = "EmbeddingModelError";
}

/** Every org may use the store's model: the store was created by the org itself. */
const ANY_MODEL_KEY = {
  id: "knowledge",
  orgId: "",
  name: "knowledge",
  allowedModels: null,
  metadata: {},
  expiresAt: null,
  revokedAt: null,
};

export async function resolveEmbeddingTarget(providers: ProviderDirectory, orgId: string, model: string) {
  const listed = await providers.listForOrg(orgId);
  const resolution = resolveModel(listed, model, { ...ANY_MODEL_KEY, orgId });
  return resolution.kind === "ok" ? resolution.target : null;
}

export async function embedderFor(
  providers: ProviderDirectory,
  orgId: string,
  model: string | null,
): Promise<Embedder> {
  if (model === null) return localEmbedder;
  const target = await resolveEmbeddingTarget(providers, orgId, model);
  if (target === null) {
    throw new EmbeddingModelError(
      `The embedding model '${model}' is not offered by any provider of this organization.`,
    );
  }
  const adapter = getProviderAdapter(target.provider.type);
  if (!adapter) throw new EmbeddingModelError(`No adapter for provider type '${target.provider.type}'.`);
  return {
    id: `${target.provider.id}/${target.model}`,
    dimensions: KNOWLEDGE_EMBEDDING_DIMENSIONS,
    async embed(texts) {
      const result = await adapter.embed(
        target.provider,
        { model: target.model, input: [...texts], dimensions: KNOWLEDGE_EMBEDDING_DIMENSIONS },
        { signal: NEVER_ABORTED_SIGNAL, requestId: `knowledge-${Date.now()}` },
      );
      const data = (result.body.data ?? []) as Array<{ index?: number; embedding: number[] }>;
      const vectors = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)).map((d) => d.embedding);
      if (vectors.length !== texts.length) {
        throw new EmbeddingModelError(`The embedding model '${model}' returned ${vectors.length} vectors for ${texts.length} texts.`);
      }
      const width = vectors[0]?.length ?? KNOWLEDGE_EMBEDDING_DIMENSIONS;
      if (width !== KNOWLEDGE_EMBEDDING_DIMENSIONS) {
        throw new EmbeddingModelError(
          `The embedding model '${model}' returned ${width}-dimensional vectors; knowledge bases store ${KNOWLEDGE_EMBEDDING_DIMENSIONS} dimensions. Use a model that supports the 'dimensions' parameter (e.g. text-embedding-3-small) or the local embedder.`,
        );
      }
      return vectors;
    },
  };
}
