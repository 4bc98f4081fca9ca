import { and, desc, eq, gte, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys, requestLogs } from "~/server/db/schema";
import type { LogStatusFilter } from "../schemas";
import { decodeLogCursor, encodeLogCursor } from "./log-cursor";

export interface RequestLogListItem {
  id: string;
  createdAt: Date;
  apiKeyId: string | null;
  keyName: string | null;
  endpoint: string;
  requestedModel: string | null;
  servedModel: string | null;
  providerId: string | null;
  stream: boolean;
  status: number;
  errorCode: string | null;
  latencyMs: number;
  ttftMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  costMicros: bigint | null;
  unpriced: boolean;
  /** The strongest guardrail action taken (`flag`, `redact`, `mask`, `reroute`, `block`); null: no hit. */
  guardrailAction: string | null;
}

/** The timestamp exactly as stored (microseconds, UTC), for the cursor. */
const createdAtText = sql<string>`to_char(${requestLogs.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export function statusCondition(status: LogStatusFilter): SQL {
  if (status === "success") return lt(requestLogs.status, 400);
  if (status === "error") return gte(requestLogs.status, 400);
  return eq(requestLogs.status, status);
}

/** One org's request logs, newest first, keyset-paginated and filtered. */
export async function listRequestLogs(
  db: Db,
  args: {
    orgId: string;
    input: {
      keyId?: string;
      requestId?: string;
      model?: string;
      status?: LogStatusFilter;
      since?: Date;
      until?: Date;
      cursor?: string;
      limit: number;
    };
  },
): Promise<{ items: RequestLogListItem[]; nextCursor: string | null }> {
  const { input } = args;
  const where: SQL[] = [eq(requestLogs.orgId, args.orgId)];
  if (input.keyId) where.push(eq(requestLogs.apiKeyId, input.keyId));
  if (input.requestId) {
    where.push(or(eq(requestLogs.id, input.requestId), eq(requestLogs.clientRequestId, input.requestId))!);
  }
  if (input.model) {
    where.push(or(eq(requestLogs.servedModel, input.model), eq(requestLogs.requestedModel, input.model))!);
  }
  if (input.status !== undefined) where.push(statusCondition(input.status));
  if (input.since) where.push(gte(requestLogs.createdAt, input.since));
  if (input.until) where.push(lte(requestLogs.createdAt, input.until));
  if (input.cursor) {
    const c = decodeLogCursor(input.cursor);
    const at = sql`${c.createdAt}::timestamptz`;
    where.push(
      or(
        sql`${requestLogs.createdAt} < ${at}`,
        and(sql`${requestLogs.createdAt} = ${at}`, lt(requestLogs.id, c.id)),
      )!,
    );
  }
  const rows = await db
    .select({
      id: requestLogs.id,
      createdAt: requestLogs.createdAt,
      createdAtText,
      apiKeyId: requestLogs.apiKeyId,
      keyName: apiKeys.name,
      endpoint: requestLogs.endpoint,
      requestedModel: requestLogs.requestedModel,
      servedModel: requestLogs.servedModel,
      providerId: requestLogs.providerId,
      stream: requestLogs.stream,
      status: requestLogs.status,
      errorCode: requestLogs.errorCode,
      latencyMs: requestLogs.latencyMs,
      ttftMs: requestLogs.ttftMs,
      promptTokens: requestLogs.promptTokens,
      completionTokens: requestLogs.completionTokens,
      costMicros: requestLogs.costMicros,
      unpriced: requestLogs.unpriced,
      guardrailAction: requestLogs.guardrailAction,
    })
    .from(requestLogs)
    // The key must belong to the same org: a foreign key id in a log row never leaks a name.
    .leftJoin(apiKeys, and(eq(apiKeys.id, requestLogs.apiKeyId), eq(apiKeys.orgId, requestLogs.orgId)))
    .where(and(...where))
    .orderBy(desc(requestLogs.createdAt), desc(requestLogs.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(({ createdAtText: _text, ...item }) => item),
    nextCursor:
      rows.length > input.limit && last ? encodeLogCursor({ createdAt: last.createdAtText, id: last.id }) : null,
  };
}
