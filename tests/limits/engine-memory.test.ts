import { describe, expect, it } from "vitest";
import { createLimitsEngine } from "~/gateway/limits/limits-engine";
import { createMemoryCounterStore } from "~/gateway/limits/memory-counter-store";
import { runEngineContract } from "./engine-contract";
import {
  FakeClock,
  budget,
  captureLogger,
  limits,
  rate,
  refusal,
  request,
} from "./limits-fixtures";

runEngineContract("the in-process store", () => createMemoryCounterStore());

function setup(extra: { leaseTtlMs?: number; reservationTtlMs?: number } = {}) {
  const clock = new FakeClock();
  const { logger, lines } = captureLogger();
  const store = createMemoryCounterStore({ clock });
  return { clock, lines, store, engine: createLimitsEngine({ store, clock, logger, ...extra }) };
}

describe("limits engine over the in-process store, with a fake clock", () => {
  it("capacity refills continuously: one request every 12 s at RPM 5", async () => {
    const { clock, engine } = setup();
    const l = limits({ key: rate({ rpm: 5 }) });
    for (let i = 0; i < 5; i++) await engine.admit(request(l));
    const err = await refusal(() => engine.admit(request(l)));
    expect(err.headers?.["retry-after"]).toBe("12");
    expect(err.headers?.["retry-after-ms"]).toBe("12000");
    clock.advance(11_999);
    await refusal(() => engine.admit(request(l)));
    clock.advance(1);
    const a = await engine.admit(request(l));
    expect(a.headers["x-ratelimit-remaining-requests"]).toBe("0");
    expect(a.headers["x-ratelimit-reset-requests"]).toBe("1m0s");
    clock.advance(60_000);
    const b = await engine.admit(request(l));
    expect(b.headers["x-ratelimit-remaining-requests"]).toBe("4");
    expect(b.headers["x-ratelimit-reset-requests"]).toBe("12s");
  });

  it("Retry-After names the longest wait when several limits refuse", async () => {
    const { engine } = setup();
    const l = limits({ key: rate({ rpm: 1 }), org: rate({ rpd: 1 }) });
    await engine.admit(request(l));
    const err = await refusal(() => engine.admit(request(l)));
    expect(err.message).toContain("requests per day");
    expect(err.headers?.["retry-after"]).toBe("86400");
  });

  it("a lease of a request that never settles expires", async () => {
    const { clock, engine } = setup({ leaseTtlMs: 600_000 });
    const l = limits({ key: rate({ concurrent: 1 }) });
    await engine.admit(request(l)); // never settled: its instance "crashed"
    clock.advance(599_999);
    await refusal(() => engine.admit(request(l)));
    clock.advance(2);
    const a = await engine.admit(request(l));
    a.settle({ tokens: null, costMicros: null });
    await engine.drain();
    await engine.admit(request(l));
  });

  it("a reservation of a request that never settles is given back after its expiry", async () => {
    const { clock, engine } = setup({ reservationTtlMs: 900_000 });
    const l = limits({ budgets: [budget({ amountMicros: 1000 })] });
    await engine.admit(request(l, { maxCostMicros: 1000 }));
    await refusal(() => engine.admit(request(l, { maxCostMicros: 1 })));
    clock.advance(900_001);
    const a = await engine.admit(request(l, { maxCostMicros: 1000 }));
    // a late settle of an expired reservation still counts its real cost, and gives back nothing twice
    a.settle({ tokens: 1, costMicros: 400 });
    await engine.drain();
    const snap = await engine.snapshot({ orgId: "org_a", keyId: "key_a", limits: l });
    expect(snap.budgets[0]).toMatchObject({
      spentMicros: 400,
      reservedMicros: 0,
      availableMicros: 600,
    });
  });

  it("budget periods roll over in UTC: daily at midnight, weekly on Monday, monthly on the 1st", async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 31, 23, 59, 0)); // Friday 31 January
    const { logger } = captureLogger();
    const engine = createLimitsEngine({
      store: createMemoryCounterStore({ clock }),
      clock,
      logger,
    });
    const daily = budget({ amountMicros: 100, period: "daily" });
    const weekly = budget({ amountMicros: 1000, period: "weekly" });
    const monthly = budget({ amountMicros: 10_000, period: "monthly" });
    const spend = async (rule: typeof daily, cost: number) => {
      const a = await engine.admit(request(limits({ budgets: [rule] }), { maxCostMicros: cost }));
      a.settle({ tokens: 1, costMicros: cost });
      await engine.drain();
    };
    await spend(daily, 100);
    await spend(weekly, 1000);
    await spend(monthly, 10_000);
    for (const rule of [daily, weekly, monthly]) {
      await refusal(() => engine.admit(request(limits({ budgets: [rule] }), { maxCostMicros: 1 })));
    }
    clock.advance(60_000); // Saturday 1 February 00:00
    await spend(daily, 100);
    await spend(monthly, 10_000);
    await refusal(() => engine.admit(request(limits({ budgets: [weekly] }), { maxCostMicros: 1 })));
    clock.t = Date.UTC(2025, 1, 3, 0, 0, 0); // Monday
    await spend(weekly, 1000);
    const snap = await engine.snapshot({
      orgId: "org_a",
      keyId: "key_a",
      limits: limits({ budgets: [daily, weekly, monthly] }),
    });
    expect(
      snap.budgets.map((b) => [
        b.periodStart.toISOString(),
        b.periodEnd?.toISOString(),
        b.spentMicros,
      ]),
    ).toEqual([
      ["2025-02-03T00:00:00.000Z", "2025-02-04T00:00:00.000Z", 0],
      ["2025-02-03T00:00:00.000Z", "2025-02-10T00:00:00.000Z", 1000],
      ["2025-02-01T00:00:00.000Z", "2025-03-01T00:00:00.000Z", 10_000],
    ]);
  });

  it("invalid limits are refused with a clear 500, never enforced by guess", async () => {
    const { engine, lines } = setup();
    for (const bad of [
      limits({ key: rate({ rpm: -1 }) }),
      limits({ org: rate({ tpm: Number.NaN }) }),
      limits({ model: rate({ rpd: 2e9 }) }),
      limits({ budgets: [budget({ amountMicros: -5 })] }),
      limits({ budgets: [budget({ alertThresholds: [0] })] }),
    ]) {
      const err = await refusal(() => engine.admit(request(bad)));
      expect(err.status).toBe(500);
      expect(err.code).toBe("limits_misconfigured");
    }
    expect(lines.filter((x) => x.level === "error")).toHaveLength(5);
  });

  it("reports a store failure as 503 limits_unavailable (or admits when failOpen)", async () => {
    const { logger } = captureLogger();
    const broken = {
      ...createMemoryCounterStore(),
      admit: () => Promise.reject(new Error("down")),
    };
    const closed = createLimitsEngine({ store: broken, logger });
    const err = await refusal(() => closed.admit(request(limits({ key: rate({ rpm: 1 }) }))));
    expect(err.status).toBe(503);
    expect(err.code).toBe("limits_unavailable");
    expect(err.headers?.["retry-after"]).toBe("1");
    const open = createLimitsEngine({ store: broken, logger, failOpen: true });
    const a = await open.admit(request(limits({ key: rate({ rpm: 1 }) })));
    expect(a.headers).toEqual({});
  });

  it("a settle whose store call fails is logged, not thrown", async () => {
    const { logger, lines } = captureLogger();
    const store = createMemoryCounterStore();
    const e = createLimitsEngine({
      store: { ...store, settle: () => Promise.reject(new Error("gone")) },
      logger,
    });
    const a = await e.admit(request(limits({ key: rate({ concurrent: 1 }) })));
    expect(() => a.settle({ tokens: 1, costMicros: 1 })).not.toThrow();
    await e.drain();
    expect(lines.some((x) => x.msg === "limits: settle failed")).toBe(true);
  });
});
