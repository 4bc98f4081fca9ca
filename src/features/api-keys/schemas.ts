import { z } from "zod";
import { KEY_ENDPOINTS } from "~/gateway/key-endpoints";

export const keyNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters");

export const allowedModelsSchema = z
  .array(z.string().trim().min(1, "Model names cannot be empty").max(200, "Model name too long"))
  .max(200, "At most 200 models")
  .transform((models) => [...new Set(models)]);

/** Endpoint groups a key may call; null = all. Sorted and deduplicated so stored lists compare equal. */
export const allowedEndpointsSchema = z
  .array(z.enum(KEY_ENDPOINTS, { error: `Endpoints are ${KEY_ENDPOINTS.join(", ")}` }))
  .transform((list) => KEY_ENDPOINTS.filter((e) => list.includes(e)));

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
  allowedEndpoints: allowedEndpointsSchema.nullish(),
  metadata: keyMetadataSchema.optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

/** Changes a key's permissions; a field left out keeps its value, null lifts the limit. */
export const updateApiKeyPermissionsInput = z.object({
  id: z.string().trim().min(1).max(64),
  allowedModels: allowedModelsSchema.nullish(),
  allowedEndpoints: allowedEndpointsSchema.nullish(),
});
export type UpdateApiKeyPermissionsInput = z.infer<typeof updateApiKeyPermissionsInput>;

export const apiKeyIdInput = z.object({ id: z.string().trim().min(1).max(64) });
