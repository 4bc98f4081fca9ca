import { z } from "zod";

export const keyNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters");

export const allowedModelsSchema = z
  .array(z.string().trim().min(1, "Model names cannot be empty").max(200, "Model name too long"))
  .max(200, "At most 200 models")
  .transform((models) => [...new Set(models)]);

export const keyMetadataSchema = z
  .record(
    z.string().trim().min(1).max(64, "Metadata keys are at most 64 characters"),
    z.string().max(500, "Metadata values are at most 500 characters"),
  )
  .refine((m) => Object.keys(m).length <= 32, "At most 32 metadata entries");

export const createApiKeyInput = z.object({
  name: keyNameSchema,
  expiresAt: z.coerce
    .date()
    .refine((d) => d.getTime() > Date.now(), "Expiry must be in the future")
    .nullish(),
  allowedModels: allowedModelsSchema.nullish(),
  metadata: keyMetadataSchema.optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

export const apiKeyIdInput = z.object({ id: z.string().trim().min(1).max(64) });
