import { z } from "zod";

export const listAuditInput = z.object({
  action: z.string().trim().max(100).optional(),
  /** Substring of the actor label (email, `cli`). */
  actor: z.string().trim().max(254).optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListAuditInput = z.input<typeof listAuditInput>;
