import type { Hono } from "hono";
import { ProviderError, type CallOptions, type JsonObject } from "~/providers/types";
import type { GatewayContext } from "../context";
import { GatewayError, internalError } from "../gateway-error";
import type { KeyEndpoint } from "../key-endpoints";
import { providerFailure } from "../provider-failure";
import type { Inbound } from "../inbound";
import { inboundRoute, refuseOtherMethods, type InboundHandler, type ResolvedPorts } from "../route";
import { upstreamCalls } from "../routing/attempt-record";
import { serveRoute } from "../routing/serve-route";
import { admitRequest } from "../steps/admit-request";
import { authenticate } from "../steps/authenticate";
import { authorizeEndpoint } from "../steps/authorize-endpoint";
import {
  adapterFor,
  callBuffered,
  callStream,
  PATHS,
  sendBuffered,
  sendStream,
  upstreamBody,
  type Endpoint,
} from "../steps/call-provider";
import type { ClientLink } from "../steps/client-link";
import { consultCache, serveCacheHit } from "../steps/consult-cache";
import { guardInput } from "../steps/guard-input";
import { parseMetadata } from "../steps/parse-metadata";
import { readJsonBody } from "../steps/read-json-body";
import { recordRequest } from "../steps/record-request";
import { retrieveKnowledge, withCitations } from "../steps/retrieve-knowledge";
import { isRoute, resolveTarget } from "../steps/resolve-model";
import { validateChat, validateCompletions, validateEmbeddings } from "../steps/validate-request";

/** The key-permission group of each inference endpoint (see key-endpoints.ts). */
const KEY_ENDPOINT_OF: Record<Endpoint, KeyEndpoint> = {
  "chat.completions": "chat",
  embeddings: "embeddings",
  completions: "completions",
};

const VALIDATORS: Record<Endpoint, (ctx: GatewayContext, body: JsonObject) => void> = {
  "chat.completions": validateChat,
  embeddings: validateEmbeddings,
  completions: validateCompletions,
};

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

function inference(ports: ResolvedPorts, endpoint: Endpoint): InboundHandler {
  const validate = VALIDATORS[endpoint];
  return async (ctx: GatewayContext, request: Inbound): Promise<Response> => {
    const key = await authenticate(ctx, request.headers, ports);
    // From here on every outcome is recorded, errors included.
    ctx.endpoint = endpoint;
    const client = request.link();
    try {
      parseMetadata(ctx, request.headers);
      const received = await readJsonBody(ctx, request);
      // After the body is read: a refusal then leaves the connection clean for keep-alive.
      authorizeEndpoint(key, KEY_ENDPOINT_OF[endpoint]);
      validate(ctx, received);
      const guarded = guardInput(ports, ctx, key, received);
      const body = guarded instanceof Promise ? await guarded : guarded;
      await retrieveKnowledge(ports, ctx, key, body, request.headers);
      const resolved = await resolveTarget(ctx, key, ports.providers, ports.routes);
      ctx.storeBodies = await readStoreBodies(ports, key.orgId);
      // Guarded answers are per request (restored values, output checks): never cached.
      const cached = ctx.guard?.output ? null : await consultCache(ports, ctx, key, body, request.headers);
      const hit = cached !== null && cached.status === "HIT";
      await admitRequest(
        ports,
        ctx,
        key,
        body,
        isRoute(resolved) ? resolved.candidates.map((c) => c.target) : [resolved],
        hit,
      );
      if (hit) return serveCacheHit(ports, ctx, cached.entry, client);
      if (isRoute(resolved)) return await serveRoute(ports, ctx, key, body, resolved, client);
      // A direct model: one call, no retry, no breaker (only routes opt into those).
      const target = resolved;
      const adapter = adapterFor(ports, target);
      const upstream = upstreamBody(ctx, body, target);
      const call: CallOptions = {
        signal: client.signal,
        onCancel: client.onCancel,
        requestId: ctx.requestId,
        bodyText: upstream.text,
      };
      if (ctx.stream && endpoint !== "embeddings") {
        const upstreamStart = ports.clock.now();
        const result = await callStream(ctx, adapter, target, upstream.body, call);
        return await sendStream(ports, ctx, result.body, client, upstreamStart, 1);
      }
      const answer = await callBuffered(ports, ctx, adapter, target, upstream.body, call);
      return sendBuffered(ports, ctx, answer, 1);
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
      const calls = ctx.attempts === null ? 1 : upstreamCalls(ctx.attempts);
      return ports.respond.error(
        error,
        ctx.requestId,
        calls > 0 ? ctx.target : null,
        calls,
        ctx.responseHeaders,
      );
    }
  };
}

/** The inference handlers by path (`/v1/chat/completions`, …), for the node:http fast path. */
export function inferenceHandlers(ports: ResolvedPorts): Map<string, InboundHandler> {
  const handlers = new Map<string, InboundHandler>();
  for (const endpoint of Object.keys(PATHS) as Endpoint[]) {
    handlers.set(PATHS[endpoint], withCitations(ports, inference(ports, endpoint)));
  }
  return handlers;
}

/** `POST /v1/chat/completions`, `/v1/embeddings`, `/v1/completions`. */
export function registerInferenceRoutes(app: Hono, ports: ResolvedPorts): void {
  for (const endpoint of Object.keys(PATHS) as Endpoint[]) {
    app.post(PATHS[endpoint], inboundRoute(ports, withCitations(ports, inference(ports, endpoint))));
    refuseOtherMethods(app, ports, PATHS[endpoint], ["POST"]);
  }
}
