import type { RateState } from "./counter-store";
import { formatResetDuration } from "./duration-format";
import type { RateCheck } from "./limit-checks";

/**
 * OpenAI's `x-ratelimit-*` headers from the tightest applicable limit: of the RPM counters the one
 * with the fewest requests left (likewise TPM for the `-tokens` trio). None when no RPM/TPM applies.
 */
export function rateLimitHeaders(
  checks: readonly RateCheck[],
  states: readonly RateState[],
): Record<string, string> {
  const headers: Record<string, string> = {};
  addTrio(headers, "requests", "rpm", checks, states);
  addTrio(headers, "tokens", "tpm", checks, states);
  return headers;
}

function addTrio(
  headers: Record<string, string>,
  suffix: "requests" | "tokens",
  measure: "rpm" | "tpm",
  checks: readonly RateCheck[],
  states: readonly RateState[],
): void {
  let best = -1;
  for (let i = 0; i < checks.length; i++) {
    if (checks[i]!.measure !== measure) continue;
    if (best < 0) best = i;
    else {
      const a = states[i]!;
      const b = states[best]!;
      if (a.remaining < b.remaining || (a.remaining === b.remaining && a.resetMs > b.resetMs))
        best = i;
    }
  }
  if (best < 0) return;
  const state = states[best]!;
  headers[`x-ratelimit-limit-${suffix}`] = String(checks[best]!.limit);
  headers[`x-ratelimit-remaining-${suffix}`] = String(state.remaining);
  headers[`x-ratelimit-reset-${suffix}`] = formatResetDuration(state.resetMs);
}
