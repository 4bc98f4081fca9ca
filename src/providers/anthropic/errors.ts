import { ProviderError } from "../types";
import { isRecord } from "./json-guards";

/**
 * Anthropic's errors as ProviderErrors.
 *
 * Anthropic answers failures with `{type: "error", error: {type, message}}`; `error.type` becomes
 * both `code` and `type` (the gateway passes 4xx codes through to the client). HTTP statuses are
 * kept as sent. An `event: error` inside a 200 stream has no HTTP status of its own: it gets the
 * status Anthropic documents for that error type when sent as an HTTP answer — notably
 * `overloaded_error` → 529, a 5xx that is retryable (the gateway reports any upstream 5xx to the
 * client as a 502 and may try another target first), `api_error` → 500.
 */

/** Anthropic's documented error types and the HTTP status each comes with. */
export const STATUS_BY_ERROR_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Types worth another attempt even where the status alone would not say so. */
const RETRYABLE_TYPES = new Set([
  "rate_limit_error",
  "api_error",
  "timeout_error",
  "overloaded_error",
]);

function anthropicErrorBody(raw: unknown): { type: string; message: string } | null {
  if (!isRecord(raw) || !isRecord(raw.error)) return null;
  const { type, message } = raw.error;
  if (typeof type !== "string") return null;
  return { type, message: typeof message === "string" && message !== "" ? message : type };
}

/**
 * Re-reads an upstream HTTP failure (from `requestUpstream`/`streamUpstream`, whose body was
 * already redacted of the credential) with Anthropic's error shape. Other errors pass unchanged.
 */
export function fromUpstreamFailure(err: unknown): unknown {
  if (!(err instanceof ProviderError) || err.kind !== "http") return err;
  const body = anthropicErrorBody(err.raw);
  // Not Anthropic's shape (a proxy's page): as read. 5xx (529 included) are retryable already.
  if (body === null) return err;
  return retype(err, {
    message: body.message,
    code: body.type,
    type: body.type,
    isRetryable: RETRYABLE_TYPES.has(body.type) || err.isRetryable,
  });
}

function retype(
  err: ProviderError,
  changes: { message?: string; code?: string; type?: string; isRetryable: boolean },
): ProviderError {
  return new ProviderError({
    message: changes.message ?? err.message,
    status: err.status,
    kind: err.kind,
    isRetryable: changes.isRetryable,
    retryAfterMs: err.retryAfterMs,
    code: changes.code ?? err.code,
    type: changes.type ?? err.type,
    param: err.param,
    raw: err.raw,
  });
}

/** An `event: error` received inside a stream (e.g. `overloaded_error` after some text). */
export function fromStreamErrorEvent(data: unknown): ProviderError {
  const body = anthropicErrorBody(data) ?? {
    type: "api_error",
    message: "the upstream stream reported an error",
  };
  const status = STATUS_BY_ERROR_TYPE[body.type] ?? 500;
  return new ProviderError({
    message: body.message,
    status,
    kind: "http",
    isRetryable: RETRYABLE_TYPES.has(body.type) || status >= 500,
    code: body.type,
    type: body.type,
    raw: data,
  });
}

/** A request Anthropic cannot serve as asked: a 400 of ours, never retried elsewhere. */
export function invalidRequest(
  message: string,
  param: string | null = null,
  code = "invalid_request_error",
): ProviderError {
  return new ProviderError({
    message,
    status: 400,
    kind: "http",
    isRetryable: false,
    code,
    type: "invalid_request_error",
    param,
  });
}

/** The upstream answered 2xx with something that is not what the Messages API sends. */
export function protocolError(message: string): ProviderError {
  return new ProviderError({ message, status: 502, kind: "protocol" });
}
