import type { Db } from "~/server/db";
import { DomainError } from "~/server/domain/domain-error";
import { listChunks, type ChunkPreview } from "~/server/knowledge/search/chunk-records";
import { knowledgeService, storeNotFound } from "./knowledge-service";

/** The first chunks of a document as they were stored, to check how it was cut. */
export async function previewKnowledgeChunks(
  db: Db,
  args: { orgId: string; input: { storeId: string; fileId: string } },
): Promise<ChunkPreview[]> {
  const { kb, vectorAvailable } = await knowledgeService(db);
  if (!(await kb.getStore(args.orgId, args.input.storeId))) throw storeNotFound();
  if (!vectorAvailable) throw new DomainError("PRECONDITION_FAILED", "Knowledge bases need pgvector.");
  return listChunks(db, { orgId: args.orgId, vectorStoreId: args.input.storeId, fileId: args.input.fileId }, 50);
}
