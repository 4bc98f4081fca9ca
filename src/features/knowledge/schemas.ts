import { z } from "zod";

/** Inputs of the knowledge console (the API validates its own in the gateway). */

export const storeIdSchema = z.string().trim().min(1).max(100);
export const fileIdSchema = z.string().trim().min(1).max(100);

export const createStoreInput = z.object({
  name: z.string().trim().min(1, "Give the knowledge base a name").max(256),
  chunkSize: z.number().int().min(100).max(8000).default(1000),
  chunkOverlap: z.number().int().min(0).max(4000).default(200),
  /** `provider/model`, or empty for the local embedder. */
  embeddingModel: z
    .string()
    .trim()
    .max(256)
    .transform((v) => (v === "" ? null : v))
    .nullish(),
}).refine((v) => v.chunkOverlap <= Math.floor(v.chunkSize / 2), {
  message: "The overlap may be at most half the chunk size",
  path: ["chunkOverlap"],
});
export type CreateStoreInput = z.infer<typeof createStoreInput>;

export const storeInput = z.object({ storeId: storeIdSchema });
export const storeFileInput = z.object({ storeId: storeIdSchema, fileId: fileIdSchema });

/** One document from the upload zone: its bytes as base64 (bounded again by the server's file limit). */
export const uploadDocumentInput = z.object({
  storeId: storeIdSchema,
  filename: z.string().trim().min(1).max(512),
  contentType: z.string().max(200).nullish(),
  base64: z.string().max(700 * 1024 * 1024),
});
export type UploadDocumentInput = z.infer<typeof uploadDocumentInput>;

export const searchStoreInput = z.object({
  storeId: storeIdSchema,
  query: z.string().trim().min(1, "Type something to search for").max(4096),
  maxResults: z.number().int().min(1).max(50).default(8),
});
export type SearchStoreInput = z.infer<typeof searchStoreInput>;
