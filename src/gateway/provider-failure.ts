import { ProviderError } from "~/providers/types";
import type { ModelTarget } from "./context";
import { GatewayError, internalError, type GatewayErrorType } from "./gateway-error";
import type { RouteExhausted } from "./routing/execute-route";

const CLIENT_TYPES = new Set<GatewayErrorType>([
  "invalid_request_error",
  "authentication_error",
  "permission_error",
  "not_found_error",
  "rate_limit_error",
]);

/**
 * An upstream failure as the client sees it:
 *  - upstream 4xx: the same status and the upstream's message/param/code (OpenAI shape);
 *    429 keeps Retry-After;
 *  - upstream 401/403: 502 — the provider refused *Switchyard's* credentials, which is the
 *    operator's problem, not the client's (a 401 would tell the client its own key is wrong);
 *  - upstream 5xx and broken exchanges: 502 "Upstream provider returned 500: …";
 *  - timeouts: 504.
 */
export function providerFailure(err: ProviderError, target: ModelTarget | null): GatewayError {
  const who = target ? `Upstream provider '${target.provider.id}'` : "Upstream provider";
  if (err.kind === "timeout") {
    return new GatewayError("upstream_timeout", 504, `${who} timed out: ${err.message}.`);
  }
  if (err.kind === "connect") {
    return new GatewayError(
      "upstream_unreachable",
      502,
      `${who} could not be reached: ${err.message}.`,
    );
  }
  if (err.kind === "protocol") {
    return new GatewayError("upstream_error", 502, `${who} failed: ${err.message}.`);
  }
  const status = err.status;
  if (status === 401 || status === 403) {
    return new GatewayError(
      "upstream_auth_error",
      502,
      `${who} rejected the credentials configured in Switchyard (HTTP ${status}): ${err.message}`,
    );
  }
  if (status === 429) {
    const headers: Record<string, string> = {};
    if (err.retryAfterMs !== null) {
      headers["retry-after"] = String(Math.max(1, Math.ceil(err.retryAfterMs / 1000)));
      headers["retry-after-ms"] = String(err.retryAfterMs);
    }
    return new GatewayError(err.code ?? "rate_limit_exceeded", 429, err.message, err.param, {
      type: "rate_limit_error",
      headers,
    });
  }
  if (status >= 400 && status < 500) {
    const type = CLIENT_TYPES.has(err.type as GatewayErrorType)
      ? (err.type as GatewayErrorType)
      : undefined;
    return new GatewayError(
      err.code ?? "upstream_invalid_request",
      status,
      err.message,
      err.param,
      { type },
    );
  }
  return new GatewayError(
    "upstream_error",
    502,
    `Upstream provider returned ${status}: ${err.message}`,
  );
}

/** The message a stream's final error event carries. */
export function streamFailureMessage(err: unknown, target: ModelTarget | null): string {
  if (err instanceof ProviderError) return providerFailure(err, target).message;
  return "The upstream stream failed.";
}

/**
 * A route whose every target failed: the last failure as a direct model's would be answered
 * (status, code, param and Retry-After kept), its message saying which route and how many calls.
 */
export function routeFailure(routeName: string, exhausted: RouteExhausted): GatewayError {
  const { lastError, lastCandidate, calls } = exhausted;
  let last: GatewayError;
  if (lastError instanceof ProviderError)
    last = providerFailure(lastError, lastCandidate?.target ?? null);
  else if (lastError instanceof GatewayError) last = lastError;
  else if (lastError === null) {
    return new GatewayError(
      "no_route_target",
      503,
      `No target of the route \`${routeName}\` could be called.`,
      "model",
    );
  } else last = internalError();
  const tried = calls === 1 ? "1 upstream call" : `${calls} upstream calls`;
  return new GatewayError(
    last.code,
    last.status,
    `Every target of the route \`${routeName}\` failed (${tried}). Last error: ${last.message}`,
    last.param,
    { type: last.type, headers: last.headers ? { ...last.headers } : undefined },
  );
}
