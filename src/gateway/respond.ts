import type { ModelTarget } from "./context";
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
  /**
   * A body that already is JSON text (an upstream's answer, passed on as is). `served` names the
   * upstream that answered, after `attempts` upstream calls (the `x-switchyard-*` headers).
   */
  jsonText(
    text: string,
    status: number,
    requestId: string,
    served?: ModelTarget | null,
    attempts?: number,
    extra?: Readonly<Record<string, string>> | null,
  ): Response;
  /** Server-sent events, passed on chunk by chunk. */
  eventStream(
    body: ReadableStream<Uint8Array>,
    requestId: string,
    served?: ModelTarget | null,
    attempts?: number,
    extra?: Readonly<Record<string, string>> | null,
  ): Response;
  /**
   * `served`: the upstream that failed last, when the request got as far as calling one; `extra`:
   * the request's own headers (rate limits, cache).
   */
  error(
    error: GatewayError,
    requestId: string,
    served?: ModelTarget | null,
    attempts?: number,
    extra?: Readonly<Record<string, string>> | null,
  ): Response;
  /** Renders anything thrown while handling a request; faults that are not GatewayErrors are logged, never echoed. */
  thrown(
    thrown: unknown,
    requestId: string,
    request: { readonly method: string; readonly path: string },
    logger: GatewayLogger,
  ): Response;
}

/** Headers of every SSE response (plus `x-request-id`). */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  // Reverse proxies (nginx) must not buffer the stream.
  "x-accel-buffering": "no",
});

export const PROVIDER_HEADER = "x-switchyard-provider";
export const MODEL_HEADER = "x-switchyard-model";
export const ATTEMPTS_HEADER = "x-switchyard-attempts";

const HEADER_SAFE = /^[\x20-\x7e]*$/;

/** Provider ids and model names as header values (anything beyond printable ASCII percent-encoded). */
export function headerValue(value: string): string {
  return HEADER_SAFE.test(value) ? value : encodeURIComponent(value);
}

/** The `x-switchyard-*` headers naming who answered (added to `headers`). */
export function addServedHeaders(
  headers: Record<string, string>,
  served: ModelTarget,
  attempts: number,
): Record<string, string> {
  return addServedHeaderValues(headers, served.provider.id, served.model, attempts);
}

/**
 * The same headers from plain names (a cached answer knows who produced it only by name); a
 * name that is unknown (null) is left out.
 */
export function addServedHeaderValues(
  headers: Record<string, string>,
  providerId: string | null,
  model: string | null,
  attempts: number,
): Record<string, string> {
  if (providerId !== null) headers[PROVIDER_HEADER] = headerValue(providerId);
  if (model !== null) headers[MODEL_HEADER] = headerValue(model);
  headers[ATTEMPTS_HEADER] = attempts === 1 ? "1" : String(attempts);
  return headers;
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
  const error: Responder["error"] = (err, requestId, served, attempts = 1, extra) => {
    if (!served && !extra) return json(err.toBody(), err.status, requestId, err.headers);
    // The error's own headers (e.g. Retry-After) win over the request's.
    const headers: Record<string, string> = extra ? { ...extra, ...err.headers } : { ...err.headers };
    if (served) addServedHeaders(headers, served, attempts);
    return json(err.toBody(), err.status, requestId, headers);
  };
  return {
    json,
    jsonText: (text, status, requestId, served, attempts = 1, extra) => {
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "x-request-id": requestId,
      };
      if (served) addServedHeaders(headers, served, attempts);
      if (extra) Object.assign(headers, extra);
      return new ResponseCtor(text, { status, headers });
    },
    eventStream: (body, requestId, served, attempts = 1, extra) => {
      const headers: Record<string, string> = {
        ...EVENT_STREAM_HEADERS,
        "x-request-id": requestId,
      };
      if (served) addServedHeaders(headers, served, attempts);
      if (extra) Object.assign(headers, extra);
      return new ResponseCtor(body, { status: 200, headers });
    },
    error,
    thrown(thrown, requestId, request, logger) {
      if (thrown instanceof GatewayError) return error(thrown, requestId);
      logger.error("gateway: unhandled error", {
        requestId,
        method: request.method,
        path: request.path,
        error: thrown instanceof Error ? thrown.message : String(thrown),
        stack: thrown instanceof Error ? thrown.stack : undefined,
      });
      return error(internalError(), requestId);
    },
  };
}
