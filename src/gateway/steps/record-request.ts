import type { Usage } from "~/providers/types";
import type { GatewayContext } from "../context";
import type { Clock, GatewayLogger, RequestLogEntry, RequestLogSink } from "../ports";
import { newRequestId } from "../request-id";

export interface RequestOutcome {
  status: number;
  errorCode: string | null;
  errorMessage: string | null;
  usage: Usage | null;
  finishReason: string | null;
  /** Start → first byte sent (streams) or → upstream answer received (otherwise). */
  ttftMs: number | null;
  upstreamMs: number | null;
  responseBody: string | null;
}

/**
 * Hands the finished request to the request-log sink: once per request, after the response (for
 * streams: when the stream ended or was aborted). The sink only queues; it is never awaited, and
 * a sink that throws is logged, never surfaced to the client.
 */
export function recordRequest(
  ports: { requestLog: RequestLogSink; clock: Clock; logger: GatewayLogger },
  ctx: GatewayContext,
  outcome: RequestOutcome,
): void {
  const key = ctx.key;
  if (key === null || ctx.endpoint === null) return;
  const target = ctx.target;
  const entry: RequestLogEntry = {
    // A client-sent id may repeat: the row gets an id of its own, the client's is kept beside it.
    id: ctx.clientRequestId === null ? ctx.requestId : newRequestId(),
    clientRequestId: ctx.clientRequestId,
    orgId: key.orgId,
    apiKeyId: key.id,
    endpoint: ctx.endpoint,
    endUser: ctx.endUser,
    metadata: ctx.metadata,
    requestedModel: ctx.requestedModel,
    servedModel: target?.model ?? null,
    providerId: target?.provider.id ?? null,
    providerType: target?.provider.type ?? null,
    stream: ctx.stream,
    status: outcome.status,
    errorCode: outcome.errorCode,
    errorMessage: outcome.errorMessage,
    finishReason: outcome.finishReason,
    startedAt: new Date(ctx.startedAt),
    latencyMs: Math.max(0, ports.clock.now() - ctx.startedAt),
    ttftMs: outcome.ttftMs,
    upstreamMs: outcome.upstreamMs,
    usage: outcome.usage,
    requestBody: ctx.storeBodies ? ctx.requestText : null,
    responseBody: ctx.storeBodies ? outcome.responseBody : null,
    routeName: ctx.route === null ? null : ctx.route.definition.name,
    attempts: ctx.attempts,
    cacheStatus: ctx.cacheStatus,
    savedMicros: ctx.savedMicros,
    priced: ctx.priced,
  };
  try {
    ports.requestLog.record(entry);
  } catch (err) {
    ports.logger.warn("request log sink failed", {
      requestId: ctx.requestId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}
