import type { Context, Hono } from "hono";
import {
  ProviderError,
  type CallOptions,
  type JsonObject,
  type ProviderAdapter,
  type Usage,
} from "~/providers/types";
import type { GatewayContext, ModelTarget } from "../context";
import { GatewayError, internalError } from "../gateway-error";
import { EVENT_STREAM_HEADERS } from "../respond";
import type { RequestLogEntry } from "../ports";
import { providerFailure, streamFailureMessage } from "../provider-failure";
import { refuseOtherMethods, route, type ResolvedPorts } from "../route";
import { authenticate } from "../steps/authenticate";
import { alreadySent, clientLink, eventStreamSink, type ClientLink } from "../steps/client-link";
import { parseMetadata } from "../steps/parse-metadata";
import { readJsonBody } from "../steps/read-json-body";
import { recordRequest } from "../steps/record-request";
import { resolveTarget } from "../steps/resolve-model";
import { validateChat, validateCompletions, validateEmbeddings } from "../steps/validate-request";
import { assembleStream } from "../streaming/assemble-stream";
import { openSseRelay, pipeSseRelay, type RelayOptions } from "../streaming/sse-relay";

type Endpoint = RequestLogEntry["endpoint"];

/** Bytes of a streamed answer kept (as sent) to rebuild it for the request log. */
export const STREAM_CAPTURE_BYTES = 64 * 1024;

const VALIDATORS: Record<Endpoint, (ctx: GatewayContext, body: JsonObject) => void> = {
  "chat.completions": validateChat,
  embeddings: validateEmbeddings,
  completions: validateCompletions,
};

const PATHS: Record<Endpoint, string> = {
  "chat.completions": "/v1/chat/completions",
  embeddings: "/v1/embeddings",
  completions: "/v1/completions",
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The body sent upstream: the client's own bytes when nothing changes; otherwise a copy with the
 * upstream model name and, for streams, `stream_options.include_usage: true` (so every stream
 * can be costed; the relay strips the usage event again if the client did not ask for it).
 */
function upstreamBody(
  ctx: GatewayContext,
  body: JsonObject,
  target: ModelTarget,
): { body: JsonObject; text: string } {
  const askUsage = ctx.stream;
  const options = body.stream_options;
  const clientAskedUsage = isObject(options) && options.include_usage === true;
  if (target.model === body.model) {
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
  const out: JsonObject = { ...body, model: target.model };
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

async function readStoreBodies(ports: ResolvedPorts, orgId: string): Promise<boolean> {
  if (!ports.orgSettings) return true;
  try {
    const settings = ports.orgSettings.get(orgId);
    return (settings instanceof Promise ? await settings : settings).storeBodies;
  } catch (err) {
    ports.logger.warn("org settings unavailable; bodies not kept for this request", {
      orgId,
      error: err instanceof Error ? err.message : String(err),
    });
    return false;
  }
}

function adapterFor(ports: ResolvedPorts, target: ModelTarget): ProviderAdapter {
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

/** Anything thrown while handling an LLM request, as what the client gets (and the log records). */
function toGatewayError(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  client: ClientLink,
  thrown: unknown,
): GatewayError {
  if (thrown instanceof GatewayError) return thrown;
  if (thrown instanceof ProviderError) return providerFailure(thrown, ctx.target);
  if (client.gone()) {
    return new GatewayError(
      "client_closed_request",
      499,
      "The client closed the request before the answer was ready.",
    );
  }
  ports.logger.error("gateway: unhandled error", {
    requestId: ctx.requestId,
    path: PATHS[ctx.endpoint ?? "chat.completions"],
    error: thrown instanceof Error ? thrown.message : String(thrown),
    stack: thrown instanceof Error ? thrown.stack : undefined,
  });
  return internalError();
}

async function callBuffered(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  adapter: ProviderAdapter,
  target: ModelTarget,
  body: JsonObject,
  call: CallOptions,
): Promise<Response> {
  const upstreamStart = ports.clock.now();
  let result: { body: JsonObject; raw?: string; usage: Usage | null };
  let finishReason: string | null = null;
  if (ctx.endpoint === "embeddings") {
    result = await adapter.embed(target.provider, body, call);
  } else {
    const method = ctx.endpoint === "completions" ? adapter.completions : adapter.chat;
    if (!method) throw unsupported(target, PATHS.completions);
    const chat = await method.call(adapter, target.provider, body, call);
    finishReason = chat.finishReason ?? chat.rawFinishReason;
    result = chat;
  }
  // An OpenAI-wire upstream's bytes go out as they came; other adapters' objects are serialized.
  const text = result.raw ?? JSON.stringify(result.body);
  const usage = result.usage;
  const now = ports.clock.now();
  recordRequest(ports, ctx, {
    status: 200,
    errorCode: null,
    errorMessage: null,
    usage,
    finishReason,
    ttftMs: now - ctx.startedAt,
    upstreamMs: now - upstreamStart,
    responseBody: text,
  });
  return ports.respond.jsonText(text, 200, ctx.requestId);
}

async function callStreaming(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  adapter: ProviderAdapter,
  target: ModelTarget,
  body: JsonObject,
  call: CallOptions,
  client: ClientLink,
): Promise<Response> {
  const method = ctx.endpoint === "completions" ? adapter.completionsStream : adapter.chatStream;
  if (!method) throw unsupported(target, PATHS.completions);
  const clientOptions = ctx.body?.stream_options;
  const clientAskedUsage = isObject(clientOptions) && clientOptions.include_usage === true;
  const upstreamStart = ports.clock.now();
  const result = await method.call(adapter, target.provider, body, call);
  let ttftMs: number | null = null;
  const relay: RelayOptions = {
    stripUsage: !clientAskedUsage,
    captureLimit: ctx.storeBodies ? STREAM_CAPTURE_BYTES : 0,
    failureMessage: (err) => streamFailureMessage(err, ctx.target),
    clientGone: client.gone,
    onEnd(summary) {
      const failed = summary.outcome === "upstream_error";
      const aborted = summary.outcome === "client_abort";
      recordRequest(ports, ctx, {
        status: failed ? 502 : aborted ? 499 : 200,
        errorCode: failed ? "upstream_stream_error" : aborted ? "client_closed_request" : null,
        errorMessage: failed
          ? streamFailureMessage(summary.error, ctx.target)
          : aborted
            ? "The client closed the stream before it ended."
            : null,
        usage: summary.usage,
        finishReason: summary.finishReason,
        ttftMs,
        upstreamMs: ports.clock.now() - upstreamStart,
        responseBody: summary.captured
          ? assembleStream(summary.captured.toString("utf8"), summary.capturedTruncated)
          : null,
      });
    },
  };
  // node:http and an upstream from the HTTP transport: written straight to the socket.
  if (client.response !== null) {
    const sink = eventStreamSink(client.response, {
      ...EVENT_STREAM_HEADERS,
      "x-request-id": ctx.requestId,
    });
    ttftMs = ports.clock.now() - ctx.startedAt;
    if (pipeSseRelay(result.body, relay, sink)) return alreadySent();
  }
  const stream = await openSseRelay(result.body, relay);
  ttftMs = ports.clock.now() - ctx.startedAt;
  return ports.respond.eventStream(stream, ctx.requestId);
}

function inference(ports: ResolvedPorts, endpoint: Endpoint) {
  const validate = VALIDATORS[endpoint];
  return async (ctx: GatewayContext, c: Context): Promise<Response> => {
    const request = c.req.raw;
    const key = await authenticate(ctx, request.headers, ports);
    // From here on every outcome is recorded, errors included.
    ctx.endpoint = endpoint;
    const client = clientLink(c, request);
    try {
      parseMetadata(ctx, request.headers);
      const body = await readJsonBody(ctx, request);
      validate(ctx, body);
      const target = await resolveTarget(ctx, key, ports.providers);
      const adapter = adapterFor(ports, target);
      ctx.storeBodies = await readStoreBodies(ports, key.orgId);
      const upstream = upstreamBody(ctx, body, target);
      const call: CallOptions = {
        signal: client.signal,
        onCancel: client.onCancel,
        requestId: ctx.requestId,
        bodyText: upstream.text,
      };
      return ctx.stream && endpoint !== "embeddings"
        ? await callStreaming(ports, ctx, adapter, target, upstream.body, call, client)
        : await callBuffered(ports, ctx, adapter, target, upstream.body, call);
    } catch (thrown) {
      const error = toGatewayError(ports, ctx, client, thrown);
      recordRequest(ports, ctx, {
        status: error.status,
        errorCode: error.code,
        errorMessage: error.message,
        usage: null,
        finishReason: null,
        ttftMs: null,
        upstreamMs: null,
        responseBody: JSON.stringify(error.toBody()),
      });
      return ports.respond.error(error, ctx.requestId);
    }
  };
}

/** `POST /v1/chat/completions`, `/v1/embeddings`, `/v1/completions`. */
export function registerInferenceRoutes(app: Hono, ports: ResolvedPorts): void {
  for (const endpoint of Object.keys(PATHS) as Endpoint[]) {
    app.post(PATHS[endpoint], route(ports, inference(ports, endpoint)));
    refuseOtherMethods(app, ports, PATHS[endpoint], ["POST"]);
  }
}
