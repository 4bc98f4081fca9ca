import { GatewayError } from "~/gateway/gateway-error";
import type { KnowledgeBase } from "~/gateway/knowledge/types";
import type { ProviderDirectory } from "~/gateway/ports";
import { KNOWLEDGE_FILE_ADDED, type IngestFileEvent } from "~/jobs/knowledge/ingest-file";
import { sendJobEvent } from "~/jobs/send-job-event";
import type { DatabaseHandle } from "~/server/db/client";
import { resolveEmbeddingTarget, embedderFor } from "./embed/knowledge-embedder";
import { deleteChunks } from "./search/chunk-records";
import { hybridSearch } from "./search/hybrid-search";
import { storeFileObject, storeObject } from "./store/api-objects";
import { deleteFile, getFile, listFiles, uploadFile } from "./store/file-records";
import {
  createVectorStore,
  deleteVectorStore,
  findVectorStore,
  listVectorStores,
} from "./store/vector-store-records";
import { findStoreFile, linkFile, listStoreFiles, unlinkFile } from "./store/vector-store-file-records";

export interface KnowledgeBaseOptions {
  handle: Pick<DatabaseHandle, "db" | "vectorAvailable" | "vectorUnavailableReason">;
  providers: ProviderDirectory;
  maxFileBytes: number;
  /** Starts ingestion of a file (default: the `knowledge/file.added` job event). */
  enqueue?: (event: IngestFileEvent) => Promise<unknown>;
}

/**
 * The gateway's `knowledge` port over the database: files, vector stores, ingestion (as a
 * background job) and hybrid search. Every query is scoped by the org passed in; a store or
 * file of another org is simply not found.
 */
export function createKnowledgeBase(options: KnowledgeBaseOptions): KnowledgeBase {
  const { db } = options.handle;
  const enqueue =
    options.enqueue ??
    ((event: IngestFileEvent) =>
      sendJobEvent(KNOWLEDGE_FILE_ADDED, event, {
        idempotencyKey: `${event.vectorStoreId}:${event.fileId}:${Date.now()}`,
        db,
      }));
  const requireVector = () => {
    if (!options.handle.vectorAvailable) {
      throw new GatewayError(
        "vector_unavailable",
        503,
        `Vector stores are unavailable on this instance: pgvector could not be enabled (${
          options.handle.vectorUnavailableReason ?? "extension missing"
        }). Files can still be uploaded.`,
      );
    }
  };
  const removeChunks = async (where: { orgId: string; vectorStoreId?: string; fileId?: string }) => {
    if (options.handle.vectorAvailable) await deleteChunks(db, where);
  };

  const addFile: KnowledgeBase["addFile"] = async (orgId, storeId, input) => {
    requireVector();
    const store = await findVectorStore(db, orgId, storeId);
    if (!store) return null;
    const row = await linkFile(db, store, input.fileId, input.attributes);
    if (!row) {
      throw new GatewayError("not_found", 404, `No file found with id '${input.fileId.slice(0, 128)}'.`, "file_id");
    }
    await enqueue({ orgId, vectorStoreId: storeId, fileId: input.fileId });
    return storeFileObject(row, store);
  };

  return {
    maxFileBytes: options.maxFileBytes,
    uploadFile: (orgId, input) => uploadFile(db, orgId, input),
    listFiles: (orgId, query) => listFiles(db, orgId, query),
    getFile: (orgId, fileId) => getFile(db, orgId, fileId),
    deleteFile: (orgId, fileId) => deleteFile(db, orgId, fileId, removeChunks),

    async createStore(orgId, input) {
      requireVector();
      if (input.embeddingModel !== null && (await resolveEmbeddingTarget(options.providers, orgId, input.embeddingModel)) === null) {
        throw new GatewayError(
          "model_not_found",
          400,
          `The embedding model '${input.embeddingModel.slice(0, 256)}' is not offered by any provider of this organization. Name it as provider/model, or leave it out to use the local embedder.`,
          "embedding_model",
        );
      }
      const store = await createVectorStore(db, orgId, input);
      for (const fileId of input.fileIds) await addFile(orgId, store.id, { fileId, attributes: {} });
      return storeObject((await findVectorStore(db, orgId, store.id)) ?? store);
    },
    listStores: (orgId, query) => listVectorStores(db, orgId, query),
    async getStore(orgId, storeId) {
      const store = await findVectorStore(db, orgId, storeId);
      return store ? storeObject(store) : null;
    },
    deleteStore: (orgId, storeId) => deleteVectorStore(db, orgId, storeId, removeChunks),

    addFile,
    async listStoreFiles(orgId, storeId, query) {
      const store = await findVectorStore(db, orgId, storeId);
      return store ? listStoreFiles(db, store, query) : null;
    },
    async getStoreFile(orgId, storeId, fileId) {
      const store = await findVectorStore(db, orgId, storeId);
      const row = store ? await findStoreFile(db, orgId, storeId, fileId) : null;
      return store && row ? storeFileObject(row, store) : null;
    },
    async deleteStoreFile(orgId, storeId, fileId) {
      if (!(await unlinkFile(db, orgId, storeId, fileId))) return false;
      await removeChunks({ orgId, vectorStoreId: storeId, fileId });
      return true;
    },

    async search(orgId, storeId, input) {
      requireVector();
      const store = await findVectorStore(db, orgId, storeId);
      if (!store) return null;
      let embedding: number[];
      try {
        const embedder = await embedderFor(options.providers, orgId, store.embeddingModel);
        [embedding] = (await embedder.embed([input.query])) as [number[]];
      } catch (err) {
        throw new GatewayError(
          "embedding_unavailable",
          502,
          `The store's embedding model could not embed the query: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      return hybridSearch(db, {
        orgId,
        vectorStoreId: storeId,
        query: input.query,
        embedding,
        maxResults: input.maxResults,
        filters: input.filters,
        scoreThreshold: input.scoreThreshold,
      });
    },
  };
}
