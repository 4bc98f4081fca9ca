import { getDatabase } from "~/server/db";
import { createProviderDirectory } from "~/server/providers/provider-directory";
import { runIngestion } from "~/server/knowledge/ingest/run-ingestion";
import type { JobHandler } from "../define-job";
import { ingestFileJob, type IngestFileEvent } from "./ingest-file";

const handler: JobHandler<IngestFileEvent> = async ({ event, step, attempt, logger }) => {
  const handle = await getDatabase();
  return runIngestion(
    { db: handle.db, providers: createProviderDirectory(handle.db), logger },
    { ...event.data, runKey: event.id, finalAttempt: attempt > (ingestFileJob.retries ?? 3) },
    step,
  );
};

export default handler;
