import type { BreakerPolicy } from "./route-schema";

/**
 * Circuit breakers, one per route target (`providerId/model`, within one org: two orgs may name
 * different upstreams — or the same upstream with different credentials and rate limits — with
 * the same provider id, and one tenant's failures must not switch another's traffic).
 *
 *  - closed: requests pass. `failureThreshold` consecutive failures, each within `windowMs` of
 *    the previous one, open it. A success clears the count: a busy target with a low error rate
 *    must not open just because enough stray errors add up over the window.
 *  - open: the target is skipped until `cooldownMs` after it opened.
 *  - half-open: the first request after the cooldown is the probe; requests arriving while it is
 *    in flight skip the target. Probe success → closed; probe failure → open again.
 *
 * Only upstream and transport failures count (see `countsAsBreakerFailure`): an upstream 400 or
 * 404 says the request was wrong, not that the target is down, and closes a half-open breaker
 * like any answer does. The registry is bounded: past `maxEntries` the least recently changed
 * breakers are forgotten (a forgotten breaker is closed, which is where it was most likely).
 */

export type BreakerState = "closed" | "open" | "half-open";

/**
 * What `acquire` granted: `pass` (closed), `probe` (the half-open probe), `forced` (a target
 * tried although open, because every target was open; see execute-route).
 */
export type BreakerPermit = "pass" | "probe" | "forced";

export interface BreakerSnapshot {
  orgId: string;
  providerId: string;
  model: string;
  state: BreakerState;
  /** Consecutive failures counted towards opening (closed), or that opened it. */
  failures: number;
  /** When it last opened (ms since the epoch), null while closed. */
  openedAt: number | null;
  /** When the next half-open probe may go (ms since the epoch), null while closed. */
  nextProbeAt: number | null;
}

interface Breaker {
  orgId: string;
  providerId: string;
  model: string;
  state: BreakerState;
  failures: number;
  lastFailureAt: number;
  openedAt: number;
  cooldownMs: number;
  /** When the probe in flight started; null when none is. */
  probeStartedAt: number | null;
}

export interface BreakerTarget {
  orgId: string;
  providerId: string;
  model: string;
}

export const DEFAULT_MAX_BREAKERS = 10_000;

export function breakerKey(target: BreakerTarget): string {
  return `${target.orgId}\u001f${target.providerId}/${target.model}`;
}

export class CircuitBreakerRegistry {
  private readonly breakers = new Map<string, Breaker>();

  constructor(
    private readonly clock: { now(): number },
    private readonly maxEntries = DEFAULT_MAX_BREAKERS,
  ) {}

  /**
   * May a request go to `target` now? Null: skip it (open, or half-open with the probe in
   * flight). `force` lets it through anyway (as a probe of its own).
   */
  acquire(target: BreakerTarget, policy: BreakerPolicy, force = false): BreakerPermit | null {
    const breaker = this.breakers.get(breakerKey(target));
    if (breaker === undefined || breaker.state === "closed") return "pass";
    const now = this.clock.now();
    breaker.cooldownMs = policy.cooldownMs;
    if (breaker.state === "open" && now >= breaker.openedAt + breaker.cooldownMs) {
      breaker.state = "half-open";
      breaker.probeStartedAt = null;
    }
    if (breaker.state === "half-open") {
      // A probe that never reported back (its caller crashed) must not block the target forever.
      const stuck =
        breaker.probeStartedAt !== null && now - breaker.probeStartedAt > breaker.cooldownMs;
      if (breaker.probeStartedAt === null || stuck) {
        breaker.probeStartedAt = now;
        return "probe";
      }
    }
    return force ? "forced" : null;
  }

  /** The target answered (or refused the request itself, which also proves it is up). */
  success(target: BreakerTarget, permit: BreakerPermit): void {
    const key = breakerKey(target);
    const breaker = this.breakers.get(key);
    if (breaker === undefined) return;
    if (permit === "pass" && breaker.state !== "closed") {
      // Started before the breaker opened: a straggler, not evidence of recovery.
      return;
    }
    // Closed again: nothing worth keeping.
    this.breakers.delete(key);
  }

  /** The target failed with an upstream/transport failure. */
  failure(target: BreakerTarget, permit: BreakerPermit, policy: BreakerPolicy): void {
    const key = breakerKey(target);
    const now = this.clock.now();
    let breaker = this.breakers.get(key);
    if (breaker === undefined) {
      breaker = {
        ...target,
        state: "closed",
        failures: 0,
        lastFailureAt: 0,
        openedAt: 0,
        cooldownMs: policy.cooldownMs,
        probeStartedAt: null,
      };
    } else {
      // Re-inserted below: the map's order is least recently changed first.
      this.breakers.delete(key);
    }
    breaker.cooldownMs = policy.cooldownMs;
    if (breaker.state === "closed") {
      const inWindow = breaker.failures > 0 && now - breaker.lastFailureAt <= policy.windowMs;
      breaker.failures = inWindow ? breaker.failures + 1 : 1;
      breaker.lastFailureAt = now;
      if (breaker.failures >= policy.failureThreshold) this.open(breaker, now);
    } else if (permit !== "pass") {
      // The probe (or a forced try) failed: open for another cooldown.
      breaker.failures += 1;
      breaker.lastFailureAt = now;
      this.open(breaker, now);
    }
    this.breakers.set(key, breaker);
    this.trim();
  }

  /** A call given a permit ended without a verdict (aborted): a probe slot goes back. */
  release(target: BreakerTarget, permit: BreakerPermit): void {
    if (permit !== "probe") return;
    const breaker = this.breakers.get(breakerKey(target));
    if (breaker?.state === "half-open") breaker.probeStartedAt = null;
  }

  /** When `target` may next be tried: now or earlier for a closed one (0). */
  nextProbeAt(target: BreakerTarget): number {
    const breaker = this.breakers.get(breakerKey(target));
    if (breaker === undefined || breaker.state === "closed") return 0;
    if (breaker.state === "open") return breaker.openedAt + breaker.cooldownMs;
    return (breaker.probeStartedAt ?? 0) + breaker.cooldownMs;
  }

  stateOf(target: BreakerTarget): BreakerState {
    const breaker = this.breakers.get(breakerKey(target));
    if (breaker === undefined) return "closed";
    if (breaker.state === "open" && this.clock.now() >= breaker.openedAt + breaker.cooldownMs) {
      return "half-open";
    }
    return breaker.state;
  }

  /** Every breaker that is not plainly closed with no failures (for the console and /readyz). */
  snapshot(orgId?: string): BreakerSnapshot[] {
    const out: BreakerSnapshot[] = [];
    for (const breaker of this.breakers.values()) {
      if (orgId !== undefined && breaker.orgId !== orgId) continue;
      const state = this.stateOf(breaker);
      const closed = state === "closed";
      out.push({
        orgId: breaker.orgId,
        providerId: breaker.providerId,
        model: breaker.model,
        state,
        failures: breaker.failures,
        openedAt: closed ? null : breaker.openedAt,
        nextProbeAt: closed ? null : this.nextProbeAt(breaker),
      });
    }
    return out;
  }

  get size(): number {
    return this.breakers.size;
  }

  private open(breaker: Breaker, now: number): void {
    breaker.state = "open";
    breaker.openedAt = now;
    breaker.probeStartedAt = null;
  }

  private trim(): void {
    while (this.breakers.size > this.maxEntries) {
      const oldest = this.breakers.keys().next().value;
      if (oldest === undefined) break;
      this.breakers.delete(oldest);
    }
  }
}
