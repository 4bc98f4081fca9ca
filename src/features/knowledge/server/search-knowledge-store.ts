import type { SearchResult } from "~/gateway/knowledge/types";
import type { Db } from "~/server/db";
import type { SearchStoreInput } from "../schemas";
import { asDomain, knowledgeService, storeNotFound } from "./knowledge-service";

/** The console's search box: the same hybrid search as `POST /v1/vector_stores/{id}/search`. */
export async function searchKnowledgeStore(
  db: Db,
  args: { orgId: string; input: SearchStoreInput },
): Promise<SearchResult[]> {
  const { kb } = await knowledgeService(db);
  const results = await asDomain(() =>
    kb.search(args.orgId, args.input.storeId, {
      query: args.input.query,
      maxResults: args.input.maxResults,
      filters: null,
      scoreThreshold: null,
    }),
  );
  if (!results) throw storeNotFound();
  return results;
}
