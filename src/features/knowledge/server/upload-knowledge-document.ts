import type { VectorStoreFileObject } from "~/gateway/knowledge/types";
import type { Db } from "~/server/db";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import type { UploadDocumentInput } from "../schemas";
import { asDomain, knowledgeService, maxFileBytes, storeNotFound } from "./knowledge-service";

/** Stores an uploaded document and queues it for ingestion into the knowledge base. */
export async function uploadKnowledgeDocument(
  db: Db,
  args: { orgId: string; actor: Actor; input: UploadDocumentInput },
): Promise<VectorStoreFileObject> {
  const { kb } = await knowledgeService(db);
  const { input } = args;
  const store = await kb.getStore(args.orgId, input.storeId);
  if (!store) throw storeNotFound();
  const bytes = new Uint8Array(Buffer.from(input.base64, "base64"));
  const limit = maxFileBytes();
  if (bytes.byteLength > limit) {
    throw new DomainError(
      "BAD_REQUEST",
      `${input.filename} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; the limit is ${Math.round(limit / 1024 / 1024)} MB.`,
    );
  }
  const file = await kb.uploadFile(args.orgId, {
    filename: input.filename,
    purpose: "assistants",
    contentType: input.contentType ?? null,
    bytes,
  });
  const added = await asDomain(() => kb.addFile(args.orgId, store.id, { fileId: file.id, attributes: {} }));
  if (!added) throw storeNotFound();
  await recordAuditEvent(db, {
    orgId: args.orgId,
    actor: args.actor,
    action: "knowledge_base.add_document",
    targetType: "knowledge_base",
    targetId: store.id,
    summary: `Added ${input.filename} to knowledge base ${store.name}`,
    changes: { fileId: file.id, bytes: bytes.byteLength },
  });
  return added;
}
