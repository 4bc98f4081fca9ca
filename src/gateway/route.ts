import type { Context, Hono } from "hono";
import type { ProviderRegistry } from "~/providers/registry";
import { createContext, type GatewayContext } from "./context";
import { GatewayError } from "./gateway-error";
import { webInbound, type Inbound } from "./inbound";
import type { Clock, GatewayLogger, GatewayPorts, MaybePromise } from "./ports";
import { clientRequestId, newRequestId, requestIdFor } from "./request-id";
import type { Responder } from "./respond";
import type { RoutingState } from "./routing/routing-state";

/** The ports with their defaults filled in, plus how responses are built. */
export type ResolvedPorts = Omit<GatewayPorts, "clock" | "logger" | "adapters" | "routing"> & {
  clock: Clock;
  logger: GatewayLogger;
  adapters: ProviderRegistry;
  routing: RoutingState;
  respond: Responder;
};

export type RouteHandler = (ctx: GatewayContext, c: Context) => MaybePromise<Response>;

/** A handler that reads the request through `Inbound` (served by Hono and by the node fast path). */
export type InboundHandler = (ctx: GatewayContext, inbound: Inbound) => Promise<Response>;

/**
 * Wraps a route in what every response needs: a request id, a fresh context, and rendering of
 * anything thrown. One Hono handler per route (no global middleware) keeps Hono on its
 * single-handler fast path.
 */
export function route(ports: ResolvedPorts, handler: RouteHandler) {
  return async (c: Context): Promise<Response> => {
    const sent = clientRequestId(c.req.raw.headers);
    const ctx = createContext(sent ?? newRequestId(), ports.clock.now());
    ctx.clientRequestId = sent;
    try {
      return await handler(ctx, c);
    } catch (thrown) {
      return ports.respond.thrown(thrown, ctx.requestId, webInbound(c.req.raw, c), ports.logger);
    }
  };
}

/**
 * The same wrapping for an `InboundHandler`: request id, fresh context, anything thrown rendered.
 * Used directly by the node:http fast path and, through `inboundRoute`, by Hono.
 */
export function serveInbound(
  ports: ResolvedPorts,
  handler: InboundHandler,
  inbound: Inbound,
): Promise<Response> {
  const sent = clientRequestId(inbound.headers);
  const ctx = createContext(sent ?? newRequestId(), ports.clock.now());
  ctx.clientRequestId = sent;
  return handler(ctx, inbound).catch((thrown: unknown) =>
    ports.respond.thrown(thrown, ctx.requestId, inbound, ports.logger),
  );
}

/** A Hono handler for an `InboundHandler`. */
export function inboundRoute(ports: ResolvedPorts, handler: InboundHandler) {
  return (c: Context): Promise<Response> => serveInbound(ports, handler, webInbound(c.req.raw, c));
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Answers 405 (with `Allow`) for the methods a known path does not support, instead of 404. */
export function refuseOtherMethods(
  app: Hono,
  ports: ResolvedPorts,
  path: string,
  allowed: readonly string[],
): void {
  const others = METHODS.filter((m) => !allowed.includes(m));
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : [])].join(", ");
  app.on(others, path, (c) => {
    const error = new GatewayError(
      "method_not_allowed",
      405,
      `Method not allowed (${c.req.method} ${c.req.path}). This endpoint accepts: ${allow}.`,
      null,
      { headers: { allow } },
    );
    return ports.respond.error(error, requestIdFor(c.req.raw.headers));
  });
}
