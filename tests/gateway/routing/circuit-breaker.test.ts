import { describe, expect, it } from "vitest";
import { breakerVerdict, countsAsBreakerFailure } from "~/gateway/routing/attempt-errors";
import { CircuitBreakerRegistry } from "~/gateway/routing/circuit-breaker";
import type { BreakerPolicy } from "~/gateway/routing/route-schema";
import { ProviderError } from "~/providers/types";
import { GatewayError } from "~/gateway/gateway-error";

const POLICY: BreakerPolicy = { failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000 };
const TARGET = { orgId: "org_a", providerId: "primary", model: "m" };

function setup() {
  const clock = { current: 1_000_000, now: () => clock.current };
  const breakers = new CircuitBreakerRegistry(clock);
  const fail = (permit = breakers.acquire(TARGET, POLICY)) => {
    expect(permit).not.toBeNull();
    breakers.failure(TARGET, permit!, POLICY);
  };
  return { clock, breakers, fail };
}

describe("circuit breaker", () => {
  it("opens at N failures within the window and skips the target while open", () => {
    const { clock, breakers, fail } = setup();
    fail();
    clock.current += 4_000;
    fail();
    expect(breakers.stateOf(TARGET)).toBe("closed");
    clock.current += 4_000;
    fail();
    expect(breakers.stateOf(TARGET)).toBe("open");
    expect(breakers.acquire(TARGET, POLICY)).toBeNull();
    expect(breakers.snapshot()).toEqual([
      {
        orgId: "org_a",
        providerId: "primary",
        model: "m",
        state: "open",
        failures: 3,
        openedAt: clock.current,
        nextProbeAt: clock.current + 5_000,
      },
    ]);
  });

  it("does not open for N failures spread beyond the window", () => {
    const { clock, breakers, fail } = setup();
    for (let i = 0; i < 6; i++) {
      fail();
      clock.current += 10_001;
    }
    expect(breakers.stateOf(TARGET)).toBe("closed");
    expect(breakers.acquire(TARGET, POLICY)).toBe("pass");
  });

  it("counts consecutive failures: a success in between starts over", () => {
    const { breakers, fail } = setup();
    fail();
    fail();
    breakers.success(TARGET, "pass");
    fail();
    fail();
    expect(breakers.stateOf(TARGET)).toBe("closed");
    fail();
    expect(breakers.stateOf(TARGET)).toBe("open");
  });

  it("lets exactly one probe through once the cooldown passed, even under concurrency", () => {
    const { clock, breakers, fail } = setup();
    for (let i = 0; i < 3; i++) fail();
    clock.current += 4_999;
    expect(breakers.acquire(TARGET, POLICY)).toBeNull();
    clock.current += 1;
    expect(breakers.stateOf(TARGET)).toBe("half-open");
    const permits = Array.from({ length: 10 }, () => breakers.acquire(TARGET, POLICY));
    expect(permits.filter((p) => p === "probe")).toHaveLength(1);
    expect(permits.filter((p) => p === null)).toHaveLength(9);
    expect(permits[0]).toBe("probe");
  });

  it("closes when the probe succeeds", () => {
    const { clock, breakers, fail } = setup();
    for (let i = 0; i < 3; i++) fail();
    clock.current += 5_000;
    const probe = breakers.acquire(TARGET, POLICY)!;
    breakers.success(TARGET, probe);
    expect(breakers.stateOf(TARGET)).toBe("closed");
    expect(breakers.acquire(TARGET, POLICY)).toBe("pass");
    expect(breakers.snapshot()).toEqual([]);
  });

  it("opens again for a full cooldown when the probe fails", () => {
    const { clock, breakers, fail } = setup();
    for (let i = 0; i < 3; i++) fail();
    clock.current += 6_000;
    const probe = breakers.acquire(TARGET, POLICY)!;
    expect(probe).toBe("probe");
    breakers.failure(TARGET, probe, POLICY);
    expect(breakers.stateOf(TARGET)).toBe("open");
    expect(breakers.snapshot()[0]).toMatchObject({
      state: "open",
      openedAt: clock.current,
      nextProbeAt: clock.current + 5_000,
    });
    clock.current += 4_000;
    expect(breakers.acquire(TARGET, POLICY)).toBeNull();
    clock.current += 1_000;
    expect(breakers.acquire(TARGET, POLICY)).toBe("probe");
  });

  it("gives the probe slot back when the probe was aborted without a verdict", () => {
    const { clock, breakers, fail } = setup();
    for (let i = 0; i < 3; i++) fail();
    clock.current += 5_000;
    const probe = breakers.acquire(TARGET, POLICY)!;
    expect(breakers.acquire(TARGET, POLICY)).toBeNull();
    breakers.release(TARGET, probe);
    expect(breakers.acquire(TARGET, POLICY)).toBe("probe");
  });

  it("ignores a straggler's success that started before the breaker opened", () => {
    const { breakers, fail } = setup();
    const straggler = breakers.acquire(TARGET, POLICY)!;
    for (let i = 0; i < 3; i++) fail();
    breakers.success(TARGET, straggler);
    expect(breakers.stateOf(TARGET)).toBe("open");
  });

  it("lets a forced call through an open breaker, and its success closes it", () => {
    const { breakers, fail } = setup();
    for (let i = 0; i < 3; i++) fail();
    expect(breakers.acquire(TARGET, POLICY)).toBeNull();
    const forced = breakers.acquire(TARGET, POLICY, true);
    expect(forced).toBe("forced");
    breakers.success(TARGET, forced!);
    expect(breakers.stateOf(TARGET)).toBe("closed");
  });

  it("keeps breakers per org and per provider/model, and stays bounded", () => {
    const clock = { now: () => 0 };
    const breakers = new CircuitBreakerRegistry(clock, 3);
    const policy = { ...POLICY, failureThreshold: 1 };
    breakers.failure(TARGET, "pass", policy);
    expect(breakers.stateOf(TARGET)).toBe("open");
    expect(breakers.stateOf({ ...TARGET, orgId: "org_b" })).toBe("closed");
    expect(breakers.stateOf({ ...TARGET, model: "other" })).toBe("closed");
    for (let i = 0; i < 5; i++) breakers.failure({ ...TARGET, model: `m${i}` }, "pass", policy);
    expect(breakers.size).toBe(3);
    expect(breakers.snapshot("org_a").map((b) => b.model)).toEqual(["m2", "m3", "m4"]);
  });

  it("counts only upstream and transport failures, not client 4xx", () => {
    const http = (status: number) => new ProviderError({ message: "x", status });
    for (const status of [400, 401, 403, 404, 413, 422]) {
      expect(countsAsBreakerFailure(http(status)), `status ${status}`).toBe(false);
    }
    for (const status of [408, 429, 500, 502, 503]) {
      expect(countsAsBreakerFailure(http(status)), `status ${status}`).toBe(true);
    }
    for (const kind of ["timeout", "connect", "protocol"] as const) {
      expect(countsAsBreakerFailure(new ProviderError({ message: "x", status: 502, kind }))).toBe(
        true,
      );
    }
    expect(countsAsBreakerFailure(new GatewayError("unsupported_endpoint", 400, "x"))).toBe(false);
    // An upstream 4xx proves the target is up; a gateway-side refusal says nothing either way.
    expect(breakerVerdict(http(404))).toBe("success");
    expect(breakerVerdict(http(503))).toBe("failure");
    expect(breakerVerdict(new GatewayError("provider_unavailable", 502, "x"))).toBe("neutral");
    expect(breakerVerdict(new TypeError("adapter bug"))).toBe("failure");
  });
});
