import { redactSecret } from "../http/upstream-errors";
import { ProviderError } from "../types";
import { asNumber, asString, isObject } from "./json";

/**
 * Google's error bodies (`{ "error": { code, message, status, details } }`) → ProviderError.
 *  - `status` (INVALID_ARGUMENT, RESOURCE_EXHAUSTED, …) becomes `code`, and an OpenAI error
 *    family becomes `type`, so clients and the gateway can tell errors apart;
 *  - RetryInfo's `retryDelay` ("37s") gives the retry delay (else the Retry-After header);
 *  - a BadRequest field violation names the `param`;
 *  - an invalid API key is reported by Google as 400 INVALID_ARGUMENT: it becomes 401, because
 *    it is the provider's credential that is wrong, not the client's request.
 * The key is never in a message: requests carry it in a header only, and every text kept from an
 * upstream body is redacted.
 */

const TYPE_BY_STATUS: Record<string, string> = {
  INVALID_ARGUMENT: "invalid_request_error",
  FAILED_PRECONDITION: "invalid_request_error",
  OUT_OF_RANGE: "invalid_request_error",
  UNAUTHENTICATED: "authentication_error",
  PERMISSION_DENIED: "permission_error",
  NOT_FOUND: "not_found_error",
  RESOURCE_EXHAUSTED: "rate_limit_error",
  INTERNAL: "server_error",
  UNAVAILABLE: "server_error",
  DEADLINE_EXCEEDED: "server_error",
};

const HTTP_BY_STATUS: Record<string, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/** A protobuf Duration in JSON ("37s", "0.5s", "1.250s") in milliseconds. */
export function durationMs(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.ceil(Number(match[1]) * 1000) : null;
}

function detailsOfType(details: unknown, type: string): Record<string, unknown>[] {
  if (!Array.isArray(details)) return [];
  return details.filter(
    (d): d is Record<string, unknown> =>
      isObject(d) && typeof d["@type"] === "string" && d["@type"].endsWith(`/google.rpc.${type}`),
  );
}

/** The `error` object of a Google error body (also the first element of an array body). */
export function googleError(raw: unknown): Record<string, unknown> | null {
  const body = Array.isArray(raw) ? raw[0] : raw;
  return isObject(body) && isObject(body.error) ? body.error : null;
}

export function providerErrorFromGoogle(init: {
  error: Record<string, unknown>;
  /** The HTTP status of the answer, when the error was one (not an event inside a stream). */
  httpStatus?: number;
  retryAfterMs?: number | null;
  raw: unknown;
  secret?: string;
}): ProviderError {
  const { error } = init;
  const status = asString(error.status) ?? null;
  const details = error.details;
  let httpStatus =
    init.httpStatus ??
    asNumber(error.code) ??
    (status !== null ? HTTP_BY_STATUS[status] : undefined) ??
    502;
  let type = status !== null ? (TYPE_BY_STATUS[status] ?? null) : null;
  const keyInvalid = detailsOfType(details, "ErrorInfo").some(
    (d) => d.reason === "API_KEY_INVALID",
  );
  if (keyInvalid) {
    httpStatus = 401;
    type = "authentication_error";
  }
  const retryInfo = detailsOfType(details, "RetryInfo")[0];
  const retryAfterMs = durationMs(retryInfo?.retryDelay) ?? init.retryAfterMs ?? null;
  const violation = detailsOfType(details, "BadRequest")
    .flatMap((d) => (Array.isArray(d.fieldViolations) ? d.fieldViolations : []))
    .find(isObject);
  const message = redactSecret(
    asString(error.message) || `the upstream failed (${status ?? `HTTP ${httpStatus}`})`,
    init.secret,
  );
  return new ProviderError({
    message,
    status: httpStatus,
    kind: "http",
    retryAfterMs,
    code: status,
    type,
    param: violation ? (asString(violation.field) ?? null) : null,
    raw: init.raw,
  });
}

/**
 * Rewrites an HTTP failure from upstream-call (which already parsed and redacted the body) in
 * Google's terms; other failures (timeouts, connection errors, non-Google bodies) pass unchanged.
 */
export function geminiError(err: unknown): unknown {
  if (!(err instanceof ProviderError) || err.kind !== "http") return err;
  const error = googleError(err.raw);
  if (!error) return err;
  return providerErrorFromGoogle({
    error,
    httpStatus: err.status,
    retryAfterMs: err.retryAfterMs,
    raw: err.raw,
  });
}

/** Runs an upstream call, translating its failure. */
export async function withGeminiErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw geminiError(err);
  }
}
