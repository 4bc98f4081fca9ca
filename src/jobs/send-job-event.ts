import { env } from "~/env";
import { getDb, type Db } from "~/server/db";
import { jobDriverKind, runningLocalDriver } from "./job-driver";
import { persistJobEvent } from "./local/enqueue-job-run";
import { jobsForEvent } from "./registry";

export interface SendOptions {
  /** Events with the same key are accepted once. */
  idempotencyKey?: string;
  /**
   * The org the event concerns (its runs show on that org's Jobs page). Default: `data.orgId`
   * when it is a string; otherwise the runs are instance-wide.
   */
  orgId?: string | null;
  /**
   * Local driver: the database (or transaction) to queue the runs in, so they commit together with
   * the caller's writes. Default: the process-wide database.
   */
  db?: Db;
}

function orgIdOf(data: unknown, options: SendOptions): string | null {
  if (options.orgId !== undefined) return options.orgId;
  const candidate = (data as { orgId?: unknown } | null)?.orgId;
  return typeof candidate === "string" ? candidate : null;
}

/**
 * Sends an event to every job it triggers: through Inngest when it is configured, otherwise by
 * persisting the event and one queued run per job for the local driver (see docs/jobs.md).
 */
export async function sendJobEvent<D>(
  name: string,
  data: D,
  options: SendOptions = {},
): Promise<{ ids: string[]; runIds?: string[] }> {
  if (jobDriverKind(env()) === "inngest") {
    const { sendInngestEvent } = await import("./inngest/inngest-client");
    return sendInngestEvent(name, data, options.idempotencyKey);
  }
  const db = options.db ?? (await getDb());
  const result = await persistJobEvent(db, {
    name,
    data,
    orgId: orgIdOf(data, options),
    idempotencyKey: options.idempotencyKey,
    jobs: jobsForEvent(name),
  });
  if (!result.duplicate) runningLocalDriver()?.nudge();
  return { ids: [result.eventId], runIds: result.runIds };
}
