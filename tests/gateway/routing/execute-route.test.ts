import { afterEach, describe, expect, it, vi } from "vitest";
import type { AttemptRecord } from "~/gateway/routing/attempt-record";
import {
  executeRoute,
  RouteExhausted,
  type ExecuteRouteOptions,
} from "~/gateway/routing/execute-route";
import type { RouteCandidate } from "~/gateway/routing/route-candidate";
import { createRoutingState, seededRandom } from "~/gateway/routing/routing-state";
import { ProviderError } from "~/providers/types";
import { candidate } from "./candidates";

type Behaviour = (signal: AbortSignal) => Promise<string>;

const err500 = () => new ProviderError({ message: "boom", status: 500 });
const err400 = () => new ProviderError({ message: "bad", status: 400, code: "invalid_value" });
const err429 = (retryAfterMs: number) =>
  new ProviderError({ message: "slow down", status: 429, retryAfterMs });
const ok =
  (text: string): Behaviour =>
  async () =>
    text;
const fail =
  (make: () => Error): Behaviour =>
  async () => {
    throw make();
  };

/** A route over fake targets: a fake clock that sleeps advance, and every call logged. */
function harness(options: { sleep?: "fake" | "real"; seed?: number } = {}) {
  const clock = { current: 1_000_000, now: () => clock.current };
  const slept: number[] = [];
  const state = createRoutingState({
    clock,
    random: seededRandom(options.seed ?? 1),
    sleep:
      options.sleep === "real"
        ? undefined
        : async (ms) => {
            slept.push(ms);
            clock.current += ms;
          },
  });
  const calls: string[] = [];
  const behaviours = new Map<string, Behaviour[]>();
  /** Queue behaviours for a target's next calls (the last one repeats). */
  const on = (providerId: string, ...list: Behaviour[]) => behaviours.set(providerId, list);
  const run = (
    candidates: RouteCandidate[],
    overrides: Partial<ExecuteRouteOptions<string>> = {},
  ) => {
    const attempts: AttemptRecord[] = [];
    const promise = executeRoute<string>({
      candidates,
      retry: { attempts: 2, baseDelayMs: 100, maxDelayMs: 1_000 },
      breaker: { failureThreshold: 3, windowMs: 60_000, cooldownMs: 30_000 },
      hedgeAfterMs: null,
      state,
      clock,
      signal: new AbortController().signal,
      attempts,
      call: (c, signal) => {
        calls.push(c.providerId);
        const list = behaviours.get(c.providerId) ?? [ok(c.providerId)];
        const behaviour = list.length > 1 ? list.shift()! : list[0]!;
        return behaviour(signal);
      },
      ...overrides,
    });
    return { promise, attempts };
  };
  const outcomes = (attempts: AttemptRecord[]) =>
    attempts.map((a) => `${a.providerId}:${a.outcome}${a.status === null ? "" : `:${a.status}`}`);
  return { clock, slept, state, calls, on, run, outcomes };
}

const A = candidate("a/m");
const B = candidate("b/m");
const C = candidate("c/m");

afterEach(() => {
  vi.useRealTimers();
});

describe("executeRoute: retries and fallback", () => {
  it("retries a retryable failure with backoff, then falls back in order", async () => {
    const h = harness();
    h.on("a", fail(err500));
    const { promise, attempts } = h.run([A, B, C]);
    const result = await promise;
    expect(result.value).toBe("b");
    expect(result.candidate).toBe(B);
    expect(result.calls).toBe(3);
    expect(h.calls).toEqual(["a", "a", "b"]);
    expect(h.outcomes(attempts)).toEqual(["a:error:500", "a:error:500", "b:ok:200"]);
    expect(attempts[0]).toMatchObject({ errorCode: "upstream_error", model: "m" });
    expect(h.slept).toHaveLength(1);
    expect(h.slept[0]).toBeGreaterThanOrEqual(0);
    expect(h.slept[0]).toBeLessThan(100);
  });

  it("does not retry a non-retryable failure, but still falls back", async () => {
    const h = harness();
    h.on("a", fail(err400));
    const { promise, attempts } = h.run([A, B]);
    expect((await promise).value).toBe("b");
    expect(h.calls).toEqual(["a", "b"]);
    expect(attempts[0]).toMatchObject({
      status: 400,
      errorCode: "invalid_value",
      outcome: "error",
    });
    expect(h.slept).toEqual([]);
  });

  it("makes up to retry.attempts calls per target", async () => {
    const h = harness();
    h.on("a", fail(err500));
    h.on("b", fail(err500));
    const { promise, attempts } = h.run([A, B], {
      retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      breaker: { failureThreshold: 10, windowMs: 60_000, cooldownMs: 30_000 },
    });
    const failure = await promise.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RouteExhausted);
    expect((failure as RouteExhausted).calls).toBe(6);
    expect((failure as RouteExhausted).lastCandidate).toBe(B);
    expect((failure as RouteExhausted).lastError).toBeInstanceOf(ProviderError);
    expect(h.calls).toEqual(["a", "a", "a", "b", "b", "b"]);
    expect(attempts).toHaveLength(6);
    // Exponential ceilings: retry 1 < 100 ms, retry 2 < 200 ms.
    expect(h.slept).toHaveLength(4);
    expect(h.slept[0]).toBeLessThan(100);
    expect(h.slept[1]).toBeLessThan(200);
  });

  it("waits out a Retry-After within the cap, and skips to the next target beyond it", async () => {
    const h = harness();
    h.on(
      "a",
      fail(() => err429(700)),
      ok("a"),
    );
    const first = h.run([A, B]);
    expect((await first.promise).value).toBe("a");
    expect(h.slept).toEqual([700]);

    const h2 = harness();
    h2.on(
      "a",
      fail(() => err429(5_000)),
    );
    const second = h2.run([A, B]);
    expect((await second.promise).value).toBe("b");
    expect(h2.calls).toEqual(["a", "b"]);
    expect(h2.slept).toEqual([]);
    expect(second.attempts[0]).toMatchObject({ status: 429, errorCode: "rate_limit_exceeded" });
  });

  it("records timeouts and connection failures with their own codes", async () => {
    const h = harness();
    h.on(
      "a",
      fail(() => new ProviderError({ message: "t", status: 504, kind: "timeout" })),
    );
    h.on(
      "b",
      fail(() => new ProviderError({ message: "c", status: 502, kind: "connect" })),
    );
    const { promise, attempts } = h.run([A, B, C], {
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 1 },
    });
    await promise;
    expect(attempts.map((a) => a.errorCode)).toEqual([
      "upstream_timeout",
      "upstream_unreachable",
      null,
    ]);
  });
});

describe("executeRoute: circuit breakers", () => {
  it("opens after N failures, then skips the target until its cooldown, then probes once", async () => {
    const h = harness();
    h.on("a", fail(err500));
    // Request 1: two failed calls to a; request 2: one more opens it.
    await h.run([A, B]).promise;
    await h.run([A, B]).promise;
    expect(h.state.breakers.stateOf(A)).toBe("open");
    expect(h.calls).toEqual(["a", "a", "b", "a", "b"]);

    h.calls.length = 0;
    const skipped = h.run([A, B]);
    expect((await skipped.promise).value).toBe("b");
    expect(h.calls).toEqual(["b"]);
    expect(h.outcomes(skipped.attempts)).toEqual(["a:skipped-open", "b:ok:200"]);
    expect(skipped.attempts[0]!.errorCode).toBe("circuit_open");

    // After the cooldown: one probe (not retried when it fails), then open again.
    h.clock.current += 30_000;
    h.calls.length = 0;
    const probe = h.run([A, B]);
    await probe.promise;
    expect(h.calls).toEqual(["a", "b"]);
    expect(h.state.breakers.stateOf(A)).toBe("open");
    h.calls.length = 0;
    await h.run([A, B]).promise;
    expect(h.calls).toEqual(["b"]);

    // The next probe succeeds: closed, a serves again.
    h.clock.current += 30_000;
    h.on("a", ok("a"));
    h.calls.length = 0;
    const healed = await h.run([A, B]).promise;
    healed.settle("ok");
    expect(healed.value).toBe("a");
    expect(h.state.breakers.stateOf(A)).toBe("closed");
  });

  it("when every target is open, tries the one whose cooldown ends soonest", async () => {
    const h = harness();
    const policy = { failureThreshold: 1, windowMs: 60_000, cooldownMs: 30_000 };
    h.on("a", fail(err500));
    h.on("b", fail(err500));
    await h.run([A], { breaker: policy }).promise.catch(() => {});
    h.clock.current += 5_000;
    await h.run([B], { breaker: policy }).promise.catch(() => {});
    expect(h.state.breakers.stateOf(A)).toBe("open");
    expect(h.state.breakers.stateOf(B)).toBe("open");

    h.on("a", ok("a"));
    h.calls.length = 0;
    const { promise, attempts } = h.run([B, A], { breaker: policy });
    const result = await promise;
    result.settle("ok");
    expect(result.value).toBe("a");
    expect(h.calls).toEqual(["a"]);
    expect(h.outcomes(attempts)).toEqual(["b:skipped-open", "a:skipped-open", "a:ok:200"]);
    expect(h.state.breakers.stateOf(A)).toBe("closed");
  });

  it("counts a served stream that broke later against its target (settle)", async () => {
    const h = harness();
    const policy = { failureThreshold: 1, windowMs: 60_000, cooldownMs: 30_000 };
    const result = await h.run([A, B], { breaker: policy }).promise;
    result.settle("failed", err500());
    expect(h.state.breakers.stateOf(A)).toBe("open");
    result.settle("ok");
    expect(h.state.breakers.stateOf(A)).toBe("open");
  });

  it("does not count client errors against the breaker", async () => {
    const h = harness();
    h.on("a", fail(err400));
    for (let i = 0; i < 5; i++) await h.run([A, B]).promise;
    expect(h.state.breakers.stateOf(A)).toBe("closed");
  });
});

describe("executeRoute: hedging", () => {
  const after =
    (ms: number, value: string): Behaviour =>
    (signal) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve(value), ms);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          const e = new Error("aborted");
          e.name = "AbortError";
          reject(e);
        });
      });

  it("starts the next target when the first has not answered in time; the first answer wins", async () => {
    vi.useFakeTimers();
    const h = harness({ sleep: "real" });
    let primarySignal: AbortSignal | null = null;
    h.on("a", (signal) => {
      primarySignal = signal;
      return after(1_000, "a")(signal);
    });
    h.on("b", after(50, "b"));
    const { promise, attempts } = h.run([A, B, C], { hedgeAfterMs: 100 });
    await vi.advanceTimersByTimeAsync(99);
    expect(h.calls).toEqual(["a"]);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.calls).toEqual(["a", "b"]);
    await vi.advanceTimersByTimeAsync(50);
    const result = await promise;
    expect(result.value).toBe("b");
    expect(result.calls).toBe(2);
    expect(primarySignal!.aborted).toBe(true);
    expect(h.outcomes(attempts)).toEqual(["a:aborted", "b:ok:200"]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(h.calls).toEqual(["a", "b"]);
    expect(attempts).toHaveLength(2);
  });

  it("does not hedge when the first target answers in time", async () => {
    vi.useFakeTimers();
    const h = harness({ sleep: "real" });
    h.on("a", after(80, "a"));
    const { promise, attempts } = h.run([A, B], { hedgeAfterMs: 100 });
    await vi.advanceTimersByTimeAsync(80);
    expect((await promise).value).toBe("a");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.calls).toEqual(["a"]);
    expect(h.outcomes(attempts)).toEqual(["a:ok:200"]);
  });

  it("keeps the hedge going when the hedged call fails first", async () => {
    vi.useFakeTimers();
    const h = harness({ sleep: "real" });
    h.on("a", after(300, "a"));
    h.on("b", fail(err400));
    const { promise, attempts } = h.run([A, B], { hedgeAfterMs: 100 });
    await vi.advanceTimersByTimeAsync(300);
    expect((await promise).value).toBe("a");
    expect(h.outcomes(attempts)).toEqual(["a:ok:200", "b:error:400"]);
  });
});

describe("executeRoute: cascade and aborts", () => {
  it("escalates exactly when the check says so; the last target is served as it is", async () => {
    const h = harness();
    h.on("a", ok("meh"));
    h.on("b", ok("meh"));
    h.on("c", ok("meh"));
    const checked: string[] = [];
    const escalation = (value: string, c: RouteCandidate) => {
      checked.push(c.providerId);
      return value === "meh" ? "refusal" : null;
    };
    const { promise, attempts } = h.run([A, B, C], { escalation });
    const result = await promise;
    expect(result.candidate).toBe(C);
    expect(checked).toEqual(["a", "b"]);
    expect(h.outcomes(attempts)).toEqual(["a:escalated:200", "b:escalated:200", "c:ok:200"]);
    expect(attempts[0]!.errorCode).toBe("refusal");

    const h2 = harness();
    h2.on("a", ok("good"));
    const kept = h2.run([A, B], { escalation });
    expect((await kept.promise).value).toBe("good");
    expect(h2.calls).toEqual(["a"]);
  });

  it("serves the last escalated answer when every later target fails", async () => {
    const h = harness();
    h.on("a", ok("meh"));
    h.on("b", fail(err500));
    const { promise, attempts } = h.run([A, B], { escalation: () => "low_confidence" });
    const result = await promise;
    expect(result.value).toBe("meh");
    expect(h.outcomes(attempts)).toEqual(["a:ok:200", "b:error:500", "b:error:500"]);
  });

  it("stops when the request is aborted, recording the call in flight as aborted", async () => {
    const h = harness();
    const request = new AbortController();
    h.on(
      "a",
      (signal) =>
        new Promise((_r, reject) =>
          signal.addEventListener("abort", () => reject(new Error("aborted"))),
        ),
    );
    const { promise, attempts } = h.run([A, B], { signal: request.signal });
    await Promise.resolve();
    request.abort();
    const failure = await promise.catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RouteExhausted);
    expect((failure as RouteExhausted).aborted).toBe(true);
    expect(h.calls).toEqual(["a"]);
    expect(h.outcomes(attempts)).toEqual(["a:aborted"]);
  });
});
