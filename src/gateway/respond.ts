import { GatewayError, internalError } from "./gateway-error";
import type { GatewayLogger } from "./ports";

/** A `Response` constructor: the global one, or a compatible faster one supplied by the host. */
export type ResponseClass = new (body?: BodyInit | null, init?: ResponseInit) => Response;

export interface Responder {
  json(
    body: unknown,
    status: number,
    requestId: string,
    extraHeaders?: Readonly<Record<string, string>>,
  ): Response;
  error(error: GatewayError, requestId: string): Response;
  /** Renders anything thrown while handling a request; faults that are not GatewayErrors are logged, never echoed. */
  thrown(thrown: unknown, requestId: string, request: Request, logger: GatewayLogger): Response;
}

/**
 * Response builders of the core. Headers are plain objects (not `Headers`) so the node adapter can
 * write them without materializing a Headers instance on the hot path.
 */
export function createResponder(ResponseCtor: ResponseClass = Response): Responder {
  const json: Responder["json"] = (body, status, requestId, extraHeaders) => {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-request-id": requestId,
    };
    if (extraHeaders) Object.assign(headers, extraHeaders);
    return new ResponseCtor(JSON.stringify(body), { status, headers });
  };
  const error: Responder["error"] = (err, requestId) =>
    json(err.toBody(), err.status, requestId, err.headers);
  return {
    json,
    error,
    thrown(thrown, requestId, request, logger) {
      if (thrown instanceof GatewayError) return error(thrown, requestId);
      logger.error("gateway: unhandled error", {
        requestId,
        method: request.method,
        path: new URL(request.url).pathname,
        error: thrown instanceof Error ? thrown.message : String(thrown),
        stack: thrown instanceof Error ? thrown.stack : undefined,
      });
      return error(internalError(), requestId);
    },
  };
}
