import { z } from "zod";
import { requestLogRetentionDaysSchema } from "~/server/org-settings/request-log-retention";

/** `success` = 1xx–3xx, `error` = 4xx/5xx, or one exact HTTP status. */
export const logStatusFilterSchema = z.union([
  z.enum(["success", "error"]),
  z.number().int().min(100).max(599),
]);
export type LogStatusFilter = z.infer<typeof logStatusFilterSchema>;

export const listLogsInput = z.object({
  keyId: z.string().trim().min(1).max(64).optional(),
  /** Switchyard's request id, or the client's own `x-request-id`. */
  requestId: z.string().trim().min(1).max(128).optional(),
  /** Matches the requested or the served model. */
  model: z.string().trim().min(1).max(200).optional(),
  status: logStatusFilterSchema.optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
  cursor: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListLogsInput = z.input<typeof listLogsInput>;

export const logIdInput = z.object({ id: z.string().trim().min(1).max(128) });

/** Fields left out keep their value; at least one must be given. */
export const updateLogSettingsInput = z
  .object({
    storeBodies: z.boolean().optional(),
    requestLogRetentionDays: requestLogRetentionDaysSchema.optional(),
  })
  .refine((v) => v.storeBodies !== undefined || v.requestLogRetentionDays !== undefined, {
    message: "Nothing to change.",
  });
