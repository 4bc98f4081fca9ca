import type { Db } from "~/server/db";
import type { Actor } from "~/server/domain/actor";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { knowledgeService, storeNotFound } from "./knowledge-service";

/** Deletes a knowledge base with its chunks; the uploaded files stay (they may be in other stores). */
export async function deleteKnowledgeStore(
  db: Db,
  args: { orgId: string; actor: Actor; input: { storeId: string } },
): Promise<{ id: string }> {
  const { kb } = await knowledgeService(db);
  const store = await kb.getStore(args.orgId, args.input.storeId);
  if (!store || !(await kb.deleteStore(args.orgId, store.id))) throw storeNotFound();
  await recordAuditEvent(db, {
    orgId: args.orgId,
    actor: args.actor,
    action: "knowledge_base.delete",
    targetType: "knowledge_base",
    targetId: store.id,
    summary: `Deleted knowledge base ${store.name}`,
  });
  return { id: store.id };
}
