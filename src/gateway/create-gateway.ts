import type { IncomingMessage, ServerResponse } from "node:http";
import { Hono } from "hono";
import { logger as processLogger } from "~/lib/logger";
import { providerRegistry } from "~/providers/registry";
import { GatewayError } from "./gateway-error";
import { nodeInbound, webInbound } from "./inbound";
import { PlainResponse, writeNodeResponse } from "./node-response";
import { memoizeKeyHash } from "./memoize-key-hash";
import type { GatewayPorts } from "./ports";
import { requestIdFor } from "./request-id";
import { createResponder, type ResponseClass } from "./respond";
import { serveInbound, type ResolvedPorts } from "./route";
import { registerHealthRoutes } from "./routes/health";
import { inferenceHandlers, registerInferenceRoutes } from "./routes/inference";
import { registerKnowledgeRoutes } from "./routes/knowledge";
import { registerModelRoutes } from "./routes/models";
import { createRoutingState, type RoutingState } from "./routing/routing-state";

export interface Gateway {
  /**
   * The node:http fast path of the inference endpoints (`POST /v1/chat/completions`, …): handles
   * the request and resolves when the response is written, or returns null for any other request
   * (which the caller then hands to `fetch` through its adapter).
   */
  handleNode(req: IncomingMessage, res: ServerResponse): Promise<void> | null;
  /**
   * Web-standard entry point: the node:http adapter and the Next route handlers both call this.
   * `env` is the host's per-request extras (the node adapter passes `{ incoming, outgoing }`).
   */
  fetch(request: Request, env?: unknown): Promise<Response>;
}

const systemClock = { now: () => Date.now() };

const routingStates = new WeakMap<GatewayPorts, RoutingState>();

/**
 * The routing state (circuit breakers, latency averages) of the gateways built over `ports`:
 * `ports.routing` when given, else one created on first use and shared by every gateway over the
 * same ports object. The console and `/readyz` read breaker states from here (`breakers.snapshot()`).
 */
export function routingStateFor(ports: GatewayPorts): RoutingState {
  if (ports.routing) return ports.routing;
  let state = routingStates.get(ports);
  if (state === undefined) {
    state = createRoutingState({ clock: ports.clock ?? systemClock });
    routingStates.set(ports, state);
  }
  return state;
}

export interface GatewayOptions {
  /**
   * The Response class responses are built with. Defaults to the global one; the node:http
   * server passes its adapter's lighter, compatible class, which it writes out without copying.
   */
  Response?: ResponseClass;
}

export function createGateway(ports: GatewayPorts, options: GatewayOptions = {}): Gateway {
  const resolved: ResolvedPorts = {
    ...ports,
    hashKey: memoizeKeyHash(ports.hashKey),
    clock: ports.clock ?? systemClock,
    logger: ports.logger ?? processLogger,
    adapters: ports.adapters ?? providerRegistry,
    routing: routingStateFor(ports),
    respond: createResponder(options.Response),
  };
  // strict: false so `/v1/models/` and `/v1/models` are the same endpoint, as clients expect.
  const app = new Hono({ strict: false });

  registerHealthRoutes(app, resolved);
  registerModelRoutes(app, resolved);
  registerInferenceRoutes(app, resolved);
  registerKnowledgeRoutes(app, resolved);

  app.notFound((c) =>
    resolved.respond.error(
      new GatewayError("unknown_url", 404, `Invalid URL (${c.req.method} ${c.req.path})`),
      requestIdFor(c.req.raw.headers),
    ),
  );
  // Routes render their own errors; this only catches faults in Hono itself.
  app.onError((err, c) =>
    resolved.respond.thrown(
      err,
      requestIdFor(c.req.raw.headers),
      webInbound(c.req.raw, c),
      resolved.logger,
    ),
  );

  // The fast path builds its responses as PlainResponse, which it writes out itself.
  const nodePorts: ResolvedPorts = {
    ...resolved,
    respond: createResponder(PlainResponse as unknown as ResponseClass),
  };
  const nodeHandlers = inferenceHandlers(nodePorts);

  return {
    handleNode(req, res) {
      if (req.method !== "POST") return null;
      const url = req.url ?? "";
      const query = url.indexOf("?");
      const handler = nodeHandlers.get(query < 0 ? url : url.slice(0, query));
      if (handler === undefined) return null;
      return serveInbound(nodePorts, handler, nodeInbound(req, res))
        .then((response) => writeNodeResponse(response, res))
        .catch((err: unknown) => {
          resolved.logger.error("gateway: writing a response failed", {
            error: err instanceof Error ? err.message : String(err),
          });
          res.destroy();
        });
    },
    async fetch(request, env) {
      try {
        return await app.fetch(request, env);
      } catch (thrown) {
        return resolved.respond.thrown(
          thrown,
          requestIdFor(request.headers),
          webInbound(request),
          resolved.logger,
        );
      }
    },
  };
}
