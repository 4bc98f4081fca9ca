import { describe, expect, it } from "vitest";
import { LatencyTracker } from "~/gateway/routing/latency";
import { seededRandom } from "~/gateway/routing/routing-state";
import { orderCandidates, type OrderInputs } from "~/gateway/routing/strategies";
import { candidate } from "./candidates";

const names = (list: { providerId: string }[]) => list.map((c) => c.providerId);

function inputs(overrides: Partial<OrderInputs> = {}): OrderInputs {
  return {
    random: seededRandom(42),
    latencyOf: () => undefined,
    priceOf: () => null,
    ...overrides,
  };
}

describe("route strategies", () => {
  const a = candidate("a/m", { weight: 70 });
  const b = candidate("b/m", { weight: 20 });
  const c = candidate("c/m", { weight: 10 });

  it("fallback and cascade keep the written order", () => {
    expect(names(orderCandidates("fallback", [c, a, b], inputs()))).toEqual(["c", "a", "b"]);
    expect(names(orderCandidates("cascade", [b, c, a], inputs()))).toEqual(["b", "c", "a"]);
  });

  it("weighted splits first picks by weight (seeded, ~2000 picks) and falls back by weight", () => {
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    const shared = inputs({ random: seededRandom(1234) });
    const N = 2000;
    for (let i = 0; i < N; i++) {
      const order = orderCandidates("weighted", [a, b, c], shared);
      counts[order[0]!.providerId]! += 1;
      // The fallbacks: every other target, heaviest first.
      const rest = names(order.slice(1));
      expect(rest).toEqual(["a", "b", "c"].filter((n) => n !== order[0]!.providerId));
    }
    expect(counts.a! / N).toBeGreaterThan(0.66);
    expect(counts.a! / N).toBeLessThan(0.74);
    expect(counts.b! / N).toBeGreaterThan(0.17);
    expect(counts.b! / N).toBeLessThan(0.23);
    expect(counts.c! / N).toBeGreaterThan(0.08);
    expect(counts.c! / N).toBeLessThan(0.12);
  });

  it("weighted treats a missing weight as 1", () => {
    const x = candidate("x/m");
    const y = candidate("y/m", { weight: 3 });
    const shared = inputs({ random: seededRandom(99) });
    let xFirst = 0;
    for (let i = 0; i < 2000; i++) {
      if (orderCandidates("weighted", [x, y], shared)[0] === x) xFirst += 1;
    }
    expect(xFirst / 2000).toBeGreaterThan(0.21);
    expect(xFirst / 2000).toBeLessThan(0.29);
  });

  it("least-latency explores untried targets first, then prefers the faster after warm-up", () => {
    const latency = new LatencyTracker();
    const order = () =>
      names(
        orderCandidates(
          "least-latency",
          [a, b, c],
          inputs({ latencyOf: (x) => latency.estimate(x.key) }),
        ),
      );
    expect(order()).toEqual(["a", "b", "c"]);
    latency.observe(a.key, 400);
    expect(order()).toEqual(["b", "c", "a"]);
    latency.observe(b.key, 50);
    latency.observe(c.key, 120);
    expect(order()).toEqual(["b", "c", "a"]);
    // b slows down: the moving average follows within a few samples.
    for (let i = 0; i < 6; i++) latency.observe(b.key, 900);
    expect(order()).toEqual(["c", "a", "b"]);
  });

  it("least-latency: a failure makes a target look slower, never faster", () => {
    const latency = new LatencyTracker();
    latency.observe(a.key, 100);
    latency.observe(b.key, 150);
    latency.penalize(a.key, 3);
    expect(latency.estimate(a.key)!).toBeGreaterThan(100);
    latency.penalize(a.key, 3);
    const order = orderCandidates(
      "least-latency",
      [a, b],
      inputs({ latencyOf: (x) => latency.estimate(x.key) }),
    );
    expect(names(order)).toEqual(["b", "a"]);
  });

  it("lowest-cost orders by price, unpriced last in written order", () => {
    const prices = new Map([
      [a.key, 15],
      [c.key, 0.6],
    ]);
    const d = candidate("d/m");
    const order = orderCandidates(
      "lowest-cost",
      [d, a, b, c],
      inputs({ priceOf: (x) => prices.get(x.key) ?? null }),
    );
    expect(names(order)).toEqual(["c", "a", "d", "b"]);
  });
});
