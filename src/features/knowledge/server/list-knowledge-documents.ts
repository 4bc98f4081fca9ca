import { and, eq, inArray } from "drizzle-orm";
import type { VectorStoreFileObject } from "~/gateway/knowledge/types";
import type { Db } from "~/server/db";
import { knowledgeFiles } from "~/server/db/schema";
import { knowledgeService, storeNotFound } from "./knowledge-service";

export type KnowledgeDocument = VectorStoreFileObject & { filename: string; bytes: number };

/** The documents of a knowledge base with their live ingestion state (newest first, up to 100). */
export async function listKnowledgeDocuments(
  db: Db,
  args: { orgId: string; input: { storeId: string } },
): Promise<KnowledgeDocument[]> {
  const { kb } = await knowledgeService(db);
  const page = await kb.listStoreFiles(args.orgId, args.input.storeId, {
    limit: 100,
    order: "desc",
    after: null,
    before: null,
    filter: null,
  });
  if (!page) throw storeNotFound();
  const ids = page.data.map((f) => f.id);
  const files =
    ids.length === 0
      ? []
      : await db
          .select({ id: knowledgeFiles.id, filename: knowledgeFiles.filename, bytes: knowledgeFiles.bytes })
          .from(knowledgeFiles)
          .where(and(eq(knowledgeFiles.orgId, args.orgId), inArray(knowledgeFiles.id, ids)));
  const byId = new Map(files.map((f) => [f.id, f]));
  return page.data.map((f) => ({ ...f, filename: byId.get(f.id)?.filename ?? f.id, bytes: byId.get(f.id)?.bytes ?? 0 }));
}
