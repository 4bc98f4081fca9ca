import type { Usage } from "~/providers/types";
import { completionFromSse } from "../cache";
import type { GatewayContext, PricedCost } from "../context";
import type {
  Clock,
  GatewayLogger,
  RequestLogEntry,
  RequestLogSink,
  RequestPricer,
} from "../ports";
import { actionSummary } from "../guardrails/policy";
import { newRequestId } from "../request-id";
import type { GuardState } from "./guard-input";

function scrubbed(guard: GuardState | null, text: string | null): string | null {
  return text === null || guard === null || guard.scrubber === null ? text : guard.scrubber.scrub(text);
}

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
  /**
   * A streamed answer's SSE text as sent, when it was captured for the response cache
   * (`truncated`: it did not fit, so it is not stored).
   */
  stream?: { text: string; truncated: boolean } | null;
}

type RecordPorts = {
  requestLog: RequestLogSink;
  clock: Clock;
  logger: GatewayLogger;
  pricing?: RequestPricer;
};

/**
 * Finishes the request: settles what the limits engine admitted (real tokens and cost), stores
 * or releases the response-cache entry it was filling, then hands the request to the
 * request-log sink — once per request, after the response (for streams: when the stream ended
 * or was aborted). Nothing here is awaited by the client: the sink only queues, pricing for a
 * settle runs after the answer went out, and failures are logged, never surfaced.
 */
export function recordRequest(ports: RecordPorts, ctx: GatewayContext, outcome: RequestOutcome): void {
  if (ctx.admission === null && ctx.cacheMiss === null) {
    writeEntry(ports, ctx, outcome);
    return;
  }
  void settleThenRecord(ports, ctx, outcome);
}

async function settleThenRecord(
  ports: RecordPorts,
  ctx: GatewayContext,
  outcome: RequestOutcome,
): Promise<void> {
  const admission = ctx.admission;
  const miss = ctx.cacheMiss;
  ctx.admission = null;
  ctx.cacheMiss = null;
  let priced: PricedCost | null = ctx.priced;
  try {
    if (priced === null && outcome.usage !== null && (miss !== null || admission?.needsCost)) {
      priced = await priceOutcome(ports, ctx, outcome.usage);
      ctx.priced = priced;
    }
  } catch (err) {
    ports.logger.warn("pricing failed; the request settles as unpriced", {
      requestId: ctx.requestId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
  const costMicros =
    priced !== null && priced.costMicros !== null ? Number(priced.costMicros) : null;
  if (admission !== null) {
    const usage = outcome.usage;
    admission.grant.settle({
      tokens: usage === null ? null : (usage.totalTokens ?? usage.promptTokens + usage.completionTokens),
      costMicros: costMicros ?? (usage === null ? 0 : null),
    });
  }
  if (miss !== null) {
    try {
      const stored = outcome.status === 200 && storeAnswer(ctx, outcome, miss, priced);
      if (!stored) miss.release();
    } catch (err) {
      miss.release();
      ports.logger.warn("response cache: could not store an answer", {
        requestId: ctx.requestId,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  writeEntry(ports, ctx, outcome);
}

async function priceOutcome(
  ports: RecordPorts,
  ctx: GatewayContext,
  usage: Usage,
): Promise<PricedCost | null> {
  const target = ctx.target;
  if (!ports.pricing || ctx.key === null || target === null) return null;
  return ports.pricing({
    orgId: ctx.key.orgId,
    providerType: target.provider.type,
    providerId: target.provider.id,
    model: target.model,
    usage,
  });
}

function storeAnswer(
  ctx: GatewayContext,
  outcome: RequestOutcome,
  miss: NonNullable<GatewayContext["cacheMiss"]>,
  priced: PricedCost | null,
): boolean {
  let body = outcome.responseBody;
  let finishReason = outcome.finishReason;
  if (outcome.stream) {
    const answer = completionFromSse(outcome.stream.text, {
      truncated: outcome.stream.truncated,
      usage: outcome.usage,
      createdAt: ctx.startedAt,
    });
    if (answer === null) return false;
    body = answer.body;
    finishReason = answer.finishReason;
  }
  if (body === null) return false;
  const target = ctx.target;
  return miss.store({
    body,
    usage: outcome.usage,
    providerId: target?.provider.id ?? null,
    providerType: target?.provider.type ?? null,
    servedModel: target?.model ?? null,
    finishReason,
    costMicros: priced?.costMicros ?? null,
  });
}

function writeEntry(ports: RecordPorts, ctx: GatewayContext, outcome: RequestOutcome): void {
  const key = ctx.key;
  if (key === null || ctx.endpoint === null) return;
  const target = ctx.target;
  const hit = ctx.cacheHit?.meta ?? null;
  const guard = ctx.guard;
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
    servedModel: target?.model ?? hit?.servedModel ?? null,
    providerId: target?.provider.id ?? hit?.providerId ?? null,
    providerType: target?.provider.type ?? hit?.providerType ?? null,
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
    // With guardrail hits the log keeps the request and answer with the hit values replaced.
    requestBody: ctx.storeBodies ? (guard?.logRequestText ?? ctx.requestText) : null,
    responseBody: ctx.storeBodies ? scrubbed(guard, outcome.responseBody) : null,
    routeName: ctx.route === null ? null : ctx.route.definition.name,
    attempts: ctx.attempts,
    cacheStatus: ctx.cacheStatus,
    savedMicros: ctx.savedMicros,
    priced: ctx.priced,
    guardrailHits: guard === null || guard.hits.length === 0 ? null : guard.hits,
    guardrailAction: guard === null ? null : actionSummary(guard.hits),
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
