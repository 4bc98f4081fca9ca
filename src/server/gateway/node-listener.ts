import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { Gateway, ResponseClass } from "~/gateway";

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * The node:http entry of the gateway core, via @hono/node-server.
 *
 * The adapter writes its own lightweight Response objects straight to the socket (status, plain
 * header object, string body) instead of draining a web stream: measured here, roughly half the
 * per-request CPU of a global Response on a small JSON answer. But it only hands out that class
 * by replacing the global Request/Response, and Next.js shares this process and must keep the
 * real ones. So the adapter installs its classes, this keeps its Response class for the gateway,
 * and puts the globals back in the same synchronous step (no other code runs in between).
 * If a future adapter stops installing a class, the gateway simply uses the global Response.
 */
export async function createNodeListener(
  build: (Response: ResponseClass | undefined) => Gateway | Promise<Gateway>,
): Promise<NodeListener> {
  const globals = globalThis as unknown as { Request: unknown; Response: unknown };
  const nativeRequest = globals.Request;
  const nativeResponse = globals.Response;
  // The adapter's env ({ incoming, outgoing }) lets the core stream straight to the socket.
  const listener = getRequestListener((request, env) => gateway.fetch(request, env), {
    overrideGlobalObjects: true,
  });
  const adapterResponse = globals.Response;
  Object.defineProperty(globalThis, "Request", { value: nativeRequest });
  Object.defineProperty(globalThis, "Response", { value: nativeResponse });
  // Requests reach the listener only after this function returns, so `gateway` is set by then.
  const gateway = await build(
    adapterResponse !== nativeResponse ? (adapterResponse as ResponseClass) : undefined,
  );
  // The inference endpoints skip the adapter (no Request, Headers or router context per call).
  return (req, res) => gateway.handleNode(req, res) ?? listener(req, res);
}
