import type { RateState } from "./counter-store";

/**
 * GCRA arithmetic for the in-process store; the Redis scripts implement the same lines in Lua.
 * Times are milliseconds (floats); `tat` absent or in the past means the counter is full.
 */

/** Absorbs float error so `limit` requests of cost 1 fill exactly one window. */
const EPSILON = 1e-6;

function remainingAt(tat: number, now: number, limit: number, windowMs: number): number {
  const interval = windowMs / limit;
  return Math.max(0, Math.floor((windowMs - (tat - now)) / interval + EPSILON));
}

export function gcraPeek(
  stored: number | undefined,
  now: number,
  limit: number,
  windowMs: number,
): RateState {
  const tat = Math.max(stored ?? now, now);
  return { remaining: remainingAt(tat, now, limit, windowMs), resetMs: tat - now };
}

export type GcraTake =
  { ok: true; tat: number; state: RateState } | { ok: false; retryAfterMs: number | null };

export function gcraTake(
  stored: number | undefined,
  now: number,
  limit: number,
  windowMs: number,
  cost: number,
): GcraTake {
  const tat = Math.max(stored ?? now, now);
  const next = tat + (cost * windowMs) / limit;
  if (next - now <= windowMs + EPSILON) {
    return {
      ok: true,
      tat: next,
      state: { remaining: remainingAt(next, now, limit, windowMs), resetMs: next - now },
    };
  }
  return { ok: false, retryAfterMs: cost > limit ? null : next - windowMs - now };
}

/** Takes (delta > 0) or gives back (delta < 0) units after the fact; null = the counter is full. */
export function gcraAdjust(
  stored: number | undefined,
  now: number,
  limit: number,
  windowMs: number,
  delta: number,
): number | null {
  const next = Math.max(stored ?? now, now) + (delta * windowMs) / limit;
  return next <= now ? null : next;
}
