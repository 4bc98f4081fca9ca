import type { Clock } from "../ports";
import { CircuitBreakerRegistry, DEFAULT_MAX_BREAKERS } from "./circuit-breaker";
import { LatencyTracker } from "./latency";

/**
 * What routes remember between requests (breakers, latency averages) and the sources of time and
 * chance they use, injected so tests can use fake timers and seeded randomness.
 */
export interface RoutingState {
  breakers: CircuitBreakerRegistry;
  latency: LatencyTracker;
  /** Uniform in [0, 1). */
  random(): number;
  /** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface RoutingStateOptions {
  clock?: Clock;
  random?: () => number;
  sleep?: RoutingState["sleep"];
  /** Most breakers / latency averages kept. */
  maxEntries?: number;
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

const systemClock: Clock = { now: () => Date.now() };

export function createRoutingState(options: RoutingStateOptions = {}): RoutingState {
  const max = options.maxEntries ?? DEFAULT_MAX_BREAKERS;
  return {
    breakers: new CircuitBreakerRegistry(options.clock ?? systemClock, max),
    latency: new LatencyTracker(undefined, max),
    random: options.random ?? Math.random,
    sleep: options.sleep ?? abortableSleep,
  };
}

/** A small seeded generator (mulberry32), for tests and reproducible simulations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
