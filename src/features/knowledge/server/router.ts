import { createTRPCRouter, scopedProcedure } from "~/server/api/trpc";
import { createStoreInput, searchStoreInput, storeFileInput, storeInput, uploadDocumentInput } from "../schemas";
import { createKnowledgeStore } from "./create-knowledge-store";
import { deleteKnowledgeStore } from "./delete-knowledge-store";
import { listKnowledgeDocuments } from "./list-knowledge-documents";
import { listKnowledgeStores } from "./list-knowledge-stores";
import { previewKnowledgeChunks } from "./preview-knowledge-chunks";
import { removeKnowledgeDocument } from "./remove-knowledge-document";
import { searchKnowledgeStore } from "./search-knowledge-store";
import { uploadKnowledgeDocument } from "./upload-knowledge-document";

export const knowledgeRouter = createTRPCRouter({
  stores: scopedProcedure("knowledge:read").query(({ ctx }) => listKnowledgeStores(ctx.db, { orgId: ctx.org.id })),
  documents: scopedProcedure("knowledge:read")
    .input(storeInput)
    .query(({ ctx, input }) => listKnowledgeDocuments(ctx.db, { orgId: ctx.org.id, input })),
  chunks: scopedProcedure("knowledge:read")
    .input(storeFileInput)
    .query(({ ctx, input }) => previewKnowledgeChunks(ctx.db, { orgId: ctx.org.id, input })),
  search: scopedProcedure("knowledge:read")
    .input(searchStoreInput)
    .mutation(({ ctx, input }) => searchKnowledgeStore(ctx.db, { orgId: ctx.org.id, input })),
  createStore: scopedProcedure("knowledge:write")
    .input(createStoreInput)
    .mutation(({ ctx, input }) => createKnowledgeStore(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
  deleteStore: scopedProcedure("knowledge:write")
    .input(storeInput)
    .mutation(({ ctx, input }) => deleteKnowledgeStore(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
  upload: scopedProcedure("knowledge:write")
    .input(uploadDocumentInput)
    .mutation(({ ctx, input }) => uploadKnowledgeDocument(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
  removeDocument: scopedProcedure("knowledge:write")
    .input(storeFileInput)
    .mutation(({ ctx, input }) => removeKnowledgeDocument(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
});
