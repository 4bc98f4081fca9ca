import type { VectorStoreObject } from "~/gateway/knowledge/types";
import type { Db } from "~/server/db";
import { knowledgeService, maxFileBytes } from "./knowledge-service";

export interface KnowledgeOverview {
  vectorAvailable: boolean;
  maxFileBytes: number;
  stores: VectorStoreObject[];
}

/** The org's knowledge bases, newest first (at most 100: the page lists them all). */
export async function listKnowledgeStores(db: Db, args: { orgId: string }): Promise<KnowledgeOverview> {
  const { kb, vectorAvailable } = await knowledgeService(db);
  const page = await kb.listStores(args.orgId, { limit: 100, order: "desc", after: null, before: null });
  return { vectorAvailable, maxFileBytes: maxFileBytes(), stores: page.data };
}
