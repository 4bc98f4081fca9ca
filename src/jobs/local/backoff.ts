export interface BackoffOptions {
  /** Delay before the first retry. */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 2_000, maxMs: 10 * 60_000 };

/**
 * How long to wait after the `attempt`-th try failed: exponential, capped, with jitter (between
 * half and all of the step) so runs that failed together do not retry together.
 */
export function retryDelayMs(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * random());
}
