/**
 * One try of one route target, as the request log records it. A routed request records every
 * attempt, in the order they started: the upstream calls (answered, failed, aborted, escalated by
 * a cascade) and the targets skipped because their circuit breaker was open.
 */

/**
 * `skipped-open`: the target's circuit breaker was open; `skipped-unknown`: no provider of the org
 * offers the target's model (a route configuration problem, recorded so it shows).
 */
export type AttemptOutcome =
  "ok" | "error" | "skipped-open" | "skipped-unknown" | "aborted" | "escalated";

export interface AttemptRecord {
  providerId: string;
  model: string;
  /** 200 for an answer; the upstream's status for its error (504 timeout, 502 unreachable); null when no call was made. */
  status: number | null;
  /** What went wrong (`upstream_error`, `upstream_timeout`, `rate_limit_exceeded`, `circuit_open`, a cascade's reason…). */
  errorCode: string | null;
  /** Call start → answer (streams: first byte) or failure. */
  latencyMs: number;
  /** Milliseconds since the epoch. */
  startedAt: number;
  outcome: AttemptOutcome;
}

/** How many upstream calls the attempts made (`x-switchyard-attempts`): skipped targets do not count. */
export function upstreamCalls(attempts: readonly AttemptRecord[]): number {
  let calls = 0;
  for (const attempt of attempts) {
    if (attempt.outcome !== "skipped-open" && attempt.outcome !== "skipped-unknown") calls += 1;
  }
  return calls;
}
