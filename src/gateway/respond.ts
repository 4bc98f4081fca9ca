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
  /** A body that already is JSON text (an upstream's answer, passed on as is). */
  jsonText(text: string, status: number, requestId: string): Response;
  /** Server-sent events, passed on chunk by chunk. */
  eventStream(body: ReadableStream<Uint8Array>, requestId: string): Response;
  error(error: GatewayError, requestId: string): Response;
  /** Renders anything thrown while handling a request; faults that are not GatewayErrors are logged, never echoed. */
  thrown(thrown: unknown, requestId: string, request: Request, logger: GatewayLogger): Response;
}

/** Headers of every SSE response (plus `x-request-id`). */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  // Reverse proxies (nginx) must not buffer the stream.
  "x-accel-buffering": "no",
});

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
    jsonText: (text, status, requestId) =>
      new ResponseCtor(text, {
        status,
        headers: { "content-type": "application/json", "x-request-id": requestId },
      }),
    eventStream: (body, requestId) =>
      new ResponseCtor(body, {
        status: 200,
        headers: { ...EVENT_STREAM_HEADERS, "x-request-id": requestId },
      }),
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
