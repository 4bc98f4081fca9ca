import { z } from "zod";
import { RESERVED_SLUGS, SLUG_PATTERN } from "~/lib/slug";

export const orgNameSchema = z
  .string()
  .trim()
  .min(1, "Name is required")
  .max(100, "Name must be at most 100 characters");

export const orgSlugInputSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(SLUG_PATTERN, "Use 1–48 lower-case letters, digits and dashes")
  .refine((s) => !RESERVED_SLUGS.has(s), "This slug is reserved");

export const createOrgInput = z.object({ name: orgNameSchema, slug: orgSlugInputSchema.optional() });
export type CreateOrgInput = z.infer<typeof createOrgInput>;
