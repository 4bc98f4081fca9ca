import type { HeaderSource } from "../inbound";
import type { JsonObject } from "~/providers/types";
import {
  CACHE_HEADER,
  cacheLogStatus,
  cacheModeFor,
  cacheResponseHeaders,
  replayAsSse,
  replayAsSseStream,
  savedMicros,
  type CacheEntry,
  type CacheLookup,
} from "../cache";
import { addResponseHeaders, type GatewayContext } from "../context";
import type { ApiKeyRecord } from "../ports";
import { addServedHeaderValues, EVENT_STREAM_HEADERS } from "../respond";
import type { ResolvedPorts } from "../route";
import { alreadySent, eventStreamSink, type ClientLink } from "./client-link";
import { recordRequest } from "./record-request";

/**
 * Looks the request up in the response cache (mode from `x-switchyard-cache`, else the org's
 * default) and notes the outcome on the context: the response header, the log's cache status,
 * and a miss to fill or a hit to serve. Null when the gateway has no cache.
 */
export async function consultCache(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  key: ApiKeyRecord,
  body: JsonObject,
  headers: HeaderSource,
): Promise<CacheLookup | null> {
  const cache = ports.cache;
  if (cache === undefined || ctx.endpoint === null) return null;
  const found = cache.policy(key.orgId, key.id);
  const policy = found instanceof Promise ? await found : found;
  // A route's own cache settings win over the org's.
  const own = ctx.route?.definition.cache;
  const semantic =
    own?.semantic === undefined ? policy.semantic : own.semantic === false ? null : own.semantic;
  const mode = cacheModeFor(headers.get(CACHE_HEADER), body, own?.mode ?? policy.cacheDefault);
  const lookup = await cache.cache.lookup({
    orgId: key.orgId,
    endpoint: ctx.endpoint,
    body,
    mode,
    ttlSeconds: own?.ttlSeconds ?? policy.ttlSeconds,
    stream: ctx.stream,
    semantic,
  });
  addResponseHeaders(ctx, cacheResponseHeaders(lookup));
  ctx.cacheStatus = cacheLogStatus(lookup);
  if (lookup.status === "MISS") ctx.cacheMiss = lookup;
  else if (lookup.status === "HIT") {
    ctx.cacheHit = lookup.entry;
    ctx.savedMicros = savedMicros(lookup);
    // Nothing was spent upstream: the log records $0 and what the hit saved.
    ctx.priced = { costMicros: 0n, unpriced: false };
  }
  return lookup;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Answers from a cached entry: the stored JSON as is, or — for a stream — replayed as SSE chunks
 * (the usage event only when the client asked for it). The served headers name the provider and
 * model of the original answer, with 0 upstream calls.
 */
export function serveCacheHit(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  entry: CacheEntry,
  client: ClientLink,
): Response {
  addResponseHeaders(
    ctx,
    addServedHeaderValues({}, entry.meta.providerId, entry.meta.servedModel, 0),
  );
  const record = () =>
    recordRequest(ports, ctx, {
      status: 200,
      errorCode: null,
      errorMessage: null,
      usage: null,
      finishReason: entry.meta.finishReason,
      ttftMs: ports.clock.now() - ctx.startedAt,
      upstreamMs: null,
      responseBody: entry.body,
    });
  if (!ctx.stream || ctx.endpoint === "embeddings") {
    record();
    return ports.respond.jsonText(entry.body, 200, ctx.requestId, null, 0, ctx.responseHeaders);
  }
  const options = ctx.body?.stream_options;
  const includeUsage = isObject(options) && options.include_usage === true;
  if (client.response !== null) {
    const sink = eventStreamSink(client.response, {
      ...EVENT_STREAM_HEADERS,
      "x-request-id": ctx.requestId,
      ...ctx.responseHeaders,
    });
    for (const chunk of replayAsSse(entry, includeUsage)) {
      sink.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    sink.end();
    record();
    return alreadySent();
  }
  record();
  return ports.respond.eventStream(
    replayAsSseStream(entry, includeUsage),
    ctx.requestId,
    null,
    0,
    ctx.responseHeaders,
  );
}
