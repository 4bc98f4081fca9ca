import { describe, expect, it } from "vitest";
import { backoffDelay, retryDelay } from "~/gateway/routing/backoff";
import type { RetryPolicy } from "~/gateway/routing/route-schema";
import { seededRandom } from "~/gateway/routing/routing-state";

const POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe("backoff", () => {
  it("grows exponentially within full-jitter bounds, capped", () => {
    const random = seededRandom(7);
    for (let retry = 1; retry <= 6; retry++) {
      const ceiling = Math.min(1_000, 100 * 2 ** (retry - 1));
      const delays = Array.from({ length: 500 }, () => backoffDelay(retry, POLICY, random));
      expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...delays)).toBeLessThan(ceiling);
      // Jittered across the whole range, not pinned to the ceiling.
      expect(Math.max(...delays)).toBeGreaterThan(ceiling * 0.9);
      expect(Math.min(...delays)).toBeLessThan(ceiling * 0.1);
      const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
      expect(mean).toBeGreaterThan(ceiling * 0.4);
      expect(mean).toBeLessThan(ceiling * 0.6);
    }
  });

  it("uses the ceiling exactly at the extremes of the random source", () => {
    expect(backoffDelay(1, POLICY, () => 0)).toBe(0);
    expect(backoffDelay(3, POLICY, () => 0.999_999)).toBe(399);
    expect(backoffDelay(10, POLICY, () => 0.999_999)).toBe(999);
  });

  it("waits at least the upstream's Retry-After", () => {
    expect(retryDelay(1, 800, POLICY, () => 0)).toBe(800);
    expect(retryDelay(1, 20, POLICY, () => 0.5)).toBe(50);
    expect(retryDelay(4, null, POLICY, () => 0.5)).toBe(400);
  });

  it("moves on to the next target when Retry-After exceeds the cap", () => {
    expect(retryDelay(1, 1_001, POLICY, () => 0)).toBeNull();
    expect(retryDelay(1, 1_000, POLICY, () => 0)).toBe(1_000);
  });
});
