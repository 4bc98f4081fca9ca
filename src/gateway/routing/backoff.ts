import type { RetryPolicy } from "./route-schema";

/**
 * How long to wait before retrying a target: exponential backoff with full jitter
 * (a uniformly random delay up to `baseDelayMs · 2^(retry-1)`, capped at `maxDelayMs`), so that
 * many clients failing together do not retry together.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait before retry number `retry` (1 = the first retry) after a failure that asked for
 * `retryAfterMs` (the upstream's Retry-After, or null). At least the Retry-After, never more than
 * `maxDelayMs`: when the upstream asks for longer than that, null — move on to the next target
 * instead of holding the client.
 */
export function retryDelay(
  retry: number,
  retryAfterMs: number | null,
  policy: RetryPolicy,
  random: () => number,
): number | null {
  const jittered = backoffDelay(retry, policy, random);
  if (retryAfterMs === null) return jittered;
  if (retryAfterMs > policy.maxDelayMs) return null;
  return Math.max(jittered, retryAfterMs);
}
