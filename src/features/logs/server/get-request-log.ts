import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys, requestLogs } from "~/server/db/schema";
import { DomainError } from "~/server/domain/domain-error";
import { DEFAULT_MAX_BODY_BYTES } from "~/server/request-log/request-log-bodies";

export type RequestLogDetail = typeof requestLogs.$inferSelect & {
  keyName: string | null;
  keyPrefix: string | null;
  keyLast4: string | null;
  /** When the request arrived (`createdAt` is when it finished). */
  startedAt: Date;
  /** Which body was cut (the row stores one flag for both). */
  requestBodyTruncated: boolean;
  responseBodyTruncated: boolean;
};

/** A body cut by the writer ends within one character (≤ 3 bytes) of the limit. */
function atLimit(body: string | null): boolean {
  return body !== null && Buffer.byteLength(body, "utf8") >= DEFAULT_MAX_BODY_BYTES - 3;
}

/** One request log of this org, bodies included. Another org's id is NOT_FOUND. */
export async function getRequestLog(
  db: Db,
  args: { orgId: string; input: { id: string } },
): Promise<RequestLogDetail> {
  const [row] = await db
    .select({
      log: requestLogs,
      keyName: apiKeys.name,
      keyPrefix: apiKeys.prefix,
      keyLast4: apiKeys.last4,
    })
    .from(requestLogs)
    .leftJoin(apiKeys, and(eq(apiKeys.id, requestLogs.apiKeyId), eq(apiKeys.orgId, requestLogs.orgId)))
    .where(and(eq(requestLogs.id, args.input.id), eq(requestLogs.orgId, args.orgId)))
    .limit(1);
  if (!row) throw new DomainError("NOT_FOUND", "No request log with that id in this organization.");
  const { requestBody, responseBody, bodiesTruncated } = row.log;
  let requestBodyTruncated = bodiesTruncated && atLimit(requestBody);
  let responseBodyTruncated = bodiesTruncated && atLimit(responseBody);
  if (bodiesTruncated && !requestBodyTruncated && !responseBodyTruncated) {
    // Written with another size limit: say so for both rather than for neither.
    requestBodyTruncated = requestBody !== null;
    responseBodyTruncated = responseBody !== null;
  }
  return {
    ...row.log,
    keyName: row.keyName,
    keyPrefix: row.keyPrefix,
    keyLast4: row.keyLast4,
    startedAt: new Date(row.log.createdAt.getTime() - row.log.latencyMs),
    requestBodyTruncated,
    responseBodyTruncated,
  };
}
