import type { Db } from "~/server/db";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { knowledgeService, storeNotFound } from "./knowledge-service";

/**
 * Takes a document out of a knowledge base (its chunks go with it) and deletes the uploaded file
 * when no other knowledge base of the org still uses it.
 */
export async function removeKnowledgeDocument(
  db: Db,
  args: { orgId: string; actor: Actor; input: { storeId: string; fileId: string } },
): Promise<{ fileId: string }> {
  const { kb } = await knowledgeService(db);
  const store = await kb.getStore(args.orgId, args.input.storeId);
  if (!store) throw storeNotFound();
  if (!(await kb.deleteStoreFile(args.orgId, store.id, args.input.fileId))) {
    throw new DomainError("NOT_FOUND", "This document is not in the knowledge base.");
  }
  const file = await kb.getFile(args.orgId, args.input.fileId);
  const stillUsed = await db.query.vectorStoreFiles.findFirst({
    where: (t, { and, eq }) => and(eq(t.orgId, args.orgId), eq(t.fileId, args.input.fileId)),
  });
  if (!stillUsed) await kb.deleteFile(args.orgId, args.input.fileId);
  await recordAuditEvent(db, {
    orgId: args.orgId,
    actor: args.actor,
    action: "knowledge_base.remove_document",
    targetType: "knowledge_base",
    targetId: store.id,
    summary: `Removed ${file?.filename ?? args.input.fileId} from knowledge base ${store.name}`,
  });
  return { fileId: args.input.fileId };
}
