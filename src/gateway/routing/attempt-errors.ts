import { ProviderError } from "~/providers/types";
import { GatewayError } from "../gateway-error";

/**
 * How the routing engine reads a failed call: whether it counts against the target's breaker,
 * whether the same target may be tried again, and what the attempt record shows.
 */

/**
 * Upstream and transport failures: timeouts, connection failures, broken exchanges, 408, 429 and
 * 5xx. A 4xx such as 400/401/404/413/422 is about the request (or the credentials configured), not
 * about the upstream being down; faults in the gateway itself (GatewayError) do not count either.
 */
export function countsAsBreakerFailure(err: unknown): boolean {
  if (err instanceof ProviderError) {
    return err.kind !== "http" || err.status >= 500 || err.status === 408 || err.status === 429;
  }
  return !(err instanceof GatewayError);
}

/**
 * What a failed call tells the target's breaker: `failure` (counts towards opening), `success`
 * (the upstream answered, if only to refuse the request: it is up), or `neutral` (the call never
 * got to the upstream, e.g. the gateway cannot serve that provider type).
 */
export function breakerVerdict(err: unknown): "failure" | "success" | "neutral" {
  if (countsAsBreakerFailure(err)) return "failure";
  return err instanceof ProviderError ? "success" : "neutral";
}

/** Connect errors, timeouts before the first byte, 408/409/429/5xx (ProviderError.isRetryable). */
export function isRetryable(err: unknown): boolean {
  return err instanceof ProviderError && err.isRetryable;
}

export function retryAfterOf(err: unknown): number | null {
  return err instanceof ProviderError ? err.retryAfterMs : null;
}

const KIND_CODES: Record<ProviderError["kind"], string | null> = {
  timeout: "upstream_timeout",
  connect: "upstream_unreachable",
  protocol: "upstream_error",
  http: null,
};

/** The status and code an attempt record shows: the upstream's own status where there was one. */
export function attemptErrorOf(err: unknown): { status: number | null; errorCode: string } {
  if (err instanceof ProviderError) {
    const code =
      KIND_CODES[err.kind] ??
      err.code ??
      (err.status === 429 ? "rate_limit_exceeded" : "upstream_error");
    return { status: err.status, errorCode: code };
  }
  if (err instanceof GatewayError) return { status: err.status, errorCode: err.code };
  return { status: null, errorCode: "internal_error" };
}
