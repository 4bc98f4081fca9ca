import { z } from "zod";
import { JOB_RUN_STATUSES } from "~/server/db/schema/jobs";

export const jobRunStatusSchema = z.enum(JOB_RUN_STATUSES);

export const listJobRunsInput = z.object({
  status: jobRunStatusSchema.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListJobRunsInput = z.input<typeof listJobRunsInput>;

export const retryJobRunInput = z.object({ runId: z.string().trim().min(1).max(100) });

export const runJobNowInput = z.object({ jobId: z.string().trim().min(1).max(200) });
