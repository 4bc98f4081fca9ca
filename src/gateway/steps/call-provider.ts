import {
  type CallOptions,
  type ChatResult,
  type EmbedResult,
  type JsonObject,
  type ProviderAdapter,
  type StreamResult,
} from "~/providers/types";
import type { GatewayContext, ModelTarget } from "../context";
import { GatewayError } from "../gateway-error";
import type { RequestLogEntry } from "../ports";
import { streamFailureMessage } from "../provider-failure";
import { addServedHeaders, EVENT_STREAM_HEADERS } from "../respond";
import type { ResolvedPorts } from "../route";
import { assembleStream } from "../streaming/assemble-stream";
import {
  openSseRelay,
  pipeSseRelay,
  type RelayOptions,
  type RelaySummary,
} from "../streaming/sse-relay";
import { alreadySent, eventStreamSink, type ClientLink } from "./client-link";
import { guardAnswer, guardStream } from "./guard-output";
import { recordRequest } from "./record-request";

/**
 * The call to one upstream and the answer to the client, shared by direct models (one call) and
 * routes (the routing engine makes the calls and picks the answer that is sent).
 */

export type Endpoint = RequestLogEntry["endpoint"];

export const PATHS: Record<Endpoint, string> = {
  "chat.completions": "/v1/chat/completions",
  embeddings: "/v1/embeddings",
  completions: "/v1/completions",
};

/** Bytes of a streamed answer kept (as sent) to rebuild it for the request log. */
export const STREAM_CAPTURE_BYTES = 64 * 1024;

/** Bytes of a streamed answer kept to store it in the response cache (longer ones are not cached). */
export const CACHE_CAPTURE_BYTES = 1024 * 1024;

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Request fields a route target's `params` cannot override: they are the gateway's to set. */
const GATEWAY_FIELDS = new Set(["model", "stream", "stream_options"]);

/**
 * The body sent upstream: the client's own bytes when nothing changes; otherwise a copy with the
 * upstream model name, a route target's `params` (they win over the client's values) and, for
 * streams, `stream_options.include_usage: true` (so every stream can be costed; the relay strips
 * the usage event again if the client did not ask for it).
 */
export function upstreamBody(
  ctx: GatewayContext,
  body: JsonObject,
  target: ModelTarget,
  params?: Readonly<Record<string, unknown>>,
): { body: JsonObject; text: string } {
  const askUsage = ctx.stream;
  const options = body.stream_options;
  const clientAskedUsage = isObject(options) && options.include_usage === true;
  if (target.model === body.model && params === undefined) {
    if (!askUsage || clientAskedUsage) return { body, text: ctx.requestText! };
    if (options === undefined) {
      // The common stream request: add the option to the client's text instead of serializing
      // the whole body again (the text is a JSON object, so it starts with `{` after whitespace).
      const text = ctx.requestText!;
      const open = text.indexOf("{");
      return {
        body: { ...body, stream_options: { include_usage: true } },
        text: `${text.slice(0, open + 1)}"stream_options":{"include_usage":true},${text.slice(open + 1)}`,
      };
    }
  }
  const out: JsonObject = { ...body };
  if (params !== undefined) {
    for (const [name, value] of Object.entries(params)) {
      if (!GATEWAY_FIELDS.has(name)) out[name] = value;
    }
  }
  out.model = target.model;
  if (askUsage) out.stream_options = { ...(isObject(options) ? options : {}), include_usage: true };
  let text: string;
  try {
    text = JSON.stringify(out);
  } catch {
    // Only a pathological body (nesting deep enough to exhaust the stack) fails here.
    throw new GatewayError("invalid_json", 400, "The request body is nested too deeply.");
  }
  return { body: out, text };
}

export function adapterFor(ports: ResolvedPorts, target: ModelTarget): ProviderAdapter {
  const adapter = ports.adapters.get(target.provider.type);
  if (!adapter) {
    throw new GatewayError(
      "provider_unavailable",
      502,
      `Provider '${target.provider.id}' has type '${target.provider.type}', which this Switchyard build does not support.`,
    );
  }
  return adapter;
}

function unsupported(target: ModelTarget, path: string): GatewayError {
  return new GatewayError(
    "unsupported_endpoint",
    400,
    `Provider '${target.provider.id}' (type '${target.provider.type}') does not support ${path}. Use /v1/chat/completions instead.`,
    "model",
  );
}

/** A whole (non-streamed) upstream answer, not yet sent. */
export interface BufferedAnswer {
  result: ChatResult | EmbedResult;
  /** Unified finish reason (or the raw one); null for embeddings. */
  finishReason: string | null;
  /** Clock reading when the call started. */
  upstreamStart: number;
}

export async function callBuffered(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  adapter: ProviderAdapter,
  target: ModelTarget,
  body: JsonObject,
  call: CallOptions,
): Promise<BufferedAnswer> {
  const upstreamStart = ports.clock.now();
  if (ctx.endpoint === "embeddings") {
    return {
      result: await adapter.embed(target.provider, body, call),
      finishReason: null,
      upstreamStart,
    };
  }
  const method = ctx.endpoint === "completions" ? adapter.completions : adapter.chat;
  if (!method) throw unsupported(target, PATHS.completions);
  const chat = await method.call(adapter, target.provider, body, call);
  return { result: chat, finishReason: chat.finishReason ?? chat.rawFinishReason, upstreamStart };
}

/** Records the answer of `ctx.target` and sends it (after `attempts` upstream calls). */
export function sendBuffered(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  answer: BufferedAnswer,
  attempts: number,
): Response {
  const { result } = answer;
  // An OpenAI-wire upstream's bytes go out as they came; other adapters' objects are serialized.
  const text = result.raw ?? JSON.stringify(result.body);
  // Output guardrails / restoring redacted values: the log keeps the provider's text (masked).
  const guarded = ctx.guard?.output ? guardAnswer(ctx, text) : null;
  const now = ports.clock.now();
  recordRequest(ports, ctx, {
    status: 200,
    errorCode: null,
    errorMessage: null,
    usage: result.usage,
    finishReason: answer.finishReason,
    ttftMs: now - ctx.startedAt,
    upstreamMs: now - answer.upstreamStart,
    responseBody: guarded === null ? text : guarded.log,
  });
  return ports.respond.jsonText(guarded === null ? text : guarded.client, 200, ctx.requestId, ctx.target, attempts, ctx.responseHeaders);
}

/** Starts a streamed call: resolves once the upstream accepted it (HTTP: at its first byte). */
export function callStream(
  ctx: GatewayContext,
  adapter: ProviderAdapter,
  target: ModelTarget,
  body: JsonObject,
  call: CallOptions,
): Promise<StreamResult> {
  const method = ctx.endpoint === "completions" ? adapter.completionsStream : adapter.chatStream;
  if (!method) throw unsupported(target, PATHS.completions);
  return method.call(adapter, target.provider, body, call);
}

/**
 * Called when a relayed stream ended, with the function that records the request: a route
 * updates its attempt record first (and may hold the recording until its executor returned).
 */
export type StreamEndHook = (summary: RelaySummary, record: () => void) => void;

/**
 * Relays the stream of `ctx.target` to the client (after `attempts` upstream calls). Rejects when
 * the upstream fails before its first byte (nothing was sent: the caller may answer otherwise).
 */
export async function sendStream(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  upstream: ReadableStream<Uint8Array>,
  client: ClientLink,
  upstreamStart: number,
  attempts: number,
  onEnd?: StreamEndHook,
): Promise<Response> {
  // Output guardrails run over the upstream's events (a stream without them stays pass-through).
  if (ctx.guard?.output) upstream = guardStream(ctx, upstream);
  const clientOptions = ctx.body?.stream_options;
  const clientAskedUsage = isObject(clientOptions) && clientOptions.include_usage === true;
  const target = ctx.target;
  let ttftMs: number | null = null;
  const relay: RelayOptions = {
    stripUsage: !clientAskedUsage,
    captureLimit:
      ctx.cacheMiss !== null ? CACHE_CAPTURE_BYTES : ctx.storeBodies ? STREAM_CAPTURE_BYTES : 0,
    failureMessage: (err) => streamFailureMessage(err, target),
    clientGone: client.gone,
    onEnd(summary) {
      const record = () => {
        const captured = summary.captured ? summary.captured.toString("utf8") : null;
        const failed = summary.outcome === "upstream_error";
        const aborted = summary.outcome === "client_abort";
        // A guardrail that blocked the answer mid-stream ended it with its own error.
        const refused = failed && summary.error instanceof GatewayError ? summary.error : null;
        recordRequest(ports, ctx, {
          status: refused ? refused.status : failed ? 502 : aborted ? 499 : 200,
          errorCode: refused ? refused.code : failed ? "upstream_stream_error" : aborted ? "client_closed_request" : null,
          errorMessage: refused
            ? refused.message
            : failed
            ? streamFailureMessage(summary.error, target)
            : aborted
              ? "The client closed the stream before it ended."
              : null,
          usage: summary.usage,
          finishReason: summary.finishReason,
          ttftMs,
          upstreamMs: ports.clock.now() - upstreamStart,
          responseBody:
            captured !== null && ctx.storeBodies
              ? assembleStream(captured, summary.capturedTruncated)
              : null,
          stream:
            captured !== null && ctx.cacheMiss !== null
              ? { text: captured, truncated: summary.capturedTruncated }
              : null,
        });
      };
      if (onEnd) onEnd(summary, record);
      else record();
    },
  };
  // node:http and an upstream from the HTTP transport: written straight to the socket.
  if (client.response !== null) {
    const headers: Record<string, string> = {
      ...EVENT_STREAM_HEADERS,
      "x-request-id": ctx.requestId,
    };
    if (target !== null) addServedHeaders(headers, target, attempts);
    if (ctx.responseHeaders !== null) Object.assign(headers, ctx.responseHeaders);
    const sink = eventStreamSink(client.response, headers);
    ttftMs = ports.clock.now() - ctx.startedAt;
    if (pipeSseRelay(upstream, relay, sink)) return alreadySent();
  }
  const stream = await openSseRelay(upstream, relay);
  ttftMs = ports.clock.now() - ctx.startedAt;
  return ports.respond.eventStream(stream, ctx.requestId, target, attempts, ctx.responseHeaders);
}
