import type { Context, Hono } from "hono";
import { ProviderError, type CallOptions, type JsonObject } from "~/providers/types";
import type { GatewayContext } from "../context";
import { GatewayError, internalError } from "../gateway-error";
import { providerFailure } from "../provider-failure";
import { refuseOtherMethods, route, type ResolvedPorts } from "../route";
import { upstreamCalls } from "../routing/attempt-record";
import { serveRoute } from "../routing/serve-route";
import { admitRequest } from "../steps/admit-request";
import { authenticate } from "../steps/authenticate";
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
import { clientLink, type ClientLink } from "../steps/client-link";
import { consultCache, serveCacheHit } from "../steps/consult-cache";
import { parseMetadata } from "../steps/parse-metadata";
import { readJsonBody } from "../steps/read-json-body";
import { recordRequest } from "../steps/record-request";
import { isRoute, resolveTarget } from "../steps/resolve-model";
import { validateChat, validateCompletions, validateEmbeddings } from "../steps/validate-request";

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
      const resolved = await resolveTarget(ctx, key, ports.providers, ports.routes);
      ctx.storeBodies = await readStoreBodies(ports, key.orgId);
      const cached = await consultCache(ports, ctx, key, body, request.headers);
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

/** `POST /v1/chat/completions`, `/v1/embeddings`, `/v1/completions`. */
export function registerInferenceRoutes(app: Hono, ports: ResolvedPorts): void {
  for (const endpoint of Object.keys(PATHS) as Endpoint[]) {
    app.post(PATHS[endpoint], route(ports, inference(ports, endpoint)));
    refuseOtherMethods(app, ports, PATHS[endpoint], ["POST"]);
  }
}
