import type { VectorStoreObject } from "~/gateway/knowledge/types";
import type { Db } from "~/server/db";
import type { Actor } from "~/server/domain/actor";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import type { CreateStoreInput } from "../schemas";
import { asDomain, knowledgeService } from "./knowledge-service";

export async function createKnowledgeStore(
  db: Db,
  args: { orgId: string; actor: Actor; input: CreateStoreInput },
): Promise<VectorStoreObject> {
  const { kb } = await knowledgeService(db);
  const { input } = args;
  const store = await asDomain(() =>
    kb.createStore(args.orgId, {
      name: input.name,
      chunkSize: input.chunkSize,
      chunkOverlap: input.chunkOverlap,
      embeddingModel: input.embeddingModel ?? null,
      metadata: {},
      fileIds: [],
    }),
  );
  await recordAuditEvent(db, {
    orgId: args.orgId,
    actor: args.actor,
    action: "knowledge_base.create",
    targetType: "knowledge_base",
    targetId: store.id,
    summary: `Created knowledge base ${store.name}`,
    changes: { chunkSize: input.chunkSize, chunkOverlap: input.chunkOverlap, embeddingModel: input.embeddingModel ?? null },
  });
  return store;
}
