import { describe, expect, it } from "vitest";
import type { CounterStore } from "~/gateway/limits/counter-store";
import {
  createLimitsEngine,
  type BudgetAlert,
  type LimitsEngineOptions,
} from "~/gateway/limits/limits-engine";
import { budget, captureLogger, limits, rate, refusal, request } from "./limits-fixtures";

/**
 * Behaviour every counter store must give the engine, run against the in-process store and
 * against a real redis-server. Uses real time only where refill cannot matter (a minute window
 * refills 1 request per 12 s at RPM 5; the tests take milliseconds).
 */
export function runEngineContract(label: string, newStore: () => CounterStore): void {
  function engine(store: CounterStore, extra: Partial<LimitsEngineOptions> = {}) {
    const { logger } = captureLogger();
    return createLimitsEngine({ store, logger, ...extra });
  }

  describe(`limits engine over ${label}`, () => {
    it("RPM 5: of seven rapid requests exactly five pass; the two others get 429 with Retry-After and x-ratelimit headers", async () => {
      const e = engine(newStore());
      const l = limits({ key: rate({ rpm: 5 }) });
      const admitted = [];
      for (let i = 0; i < 5; i++) admitted.push(await e.admit(request(l)));
      expect(admitted.map((a) => a.headers["x-ratelimit-remaining-requests"])).toEqual([
        "4",
        "3",
        "2",
        "1",
        "0",
      ]);
      expect(admitted[0]!.headers["x-ratelimit-limit-requests"]).toBe("5");
      // after one request, the bucket is full again in one interval: 60 s / 5 = 12 s
      expect(admitted[0]!.headers["x-ratelimit-reset-requests"]).toMatch(/^1[12](\.\d+)?s$/);
      expect(admitted[4]!.headers["x-ratelimit-reset-requests"]).toMatch(/^(59(\.\d+)?s|1m0s)$/);
      expect(admitted[0]!.headers["x-ratelimit-limit-tokens"]).toBeUndefined();

      for (let i = 0; i < 2; i++) {
        const err = await refusal(() => e.admit(request(l)));
        expect(err.status).toBe(429);
        expect(err.code).toBe("rate_limit_exceeded");
        expect(err.type).toBe("rate_limit_error");
        expect(err.message).toContain("this API key");
        expect(err.message).toContain("requests per minute (RPM)");
        expect(err.message).toContain("limit 5");
        expect(err.headers?.["retry-after"]).toMatch(/^1[12]$/);
        expect(err.headers?.["x-ratelimit-remaining-requests"]).toBe("0");
        expect(err.headers?.["x-ratelimit-limit-requests"]).toBe("5");
      }
    });

    it("is all or nothing: a request refused by the org limit takes nothing from the key's limits, leases or budgets", async () => {
      const store = newStore();
      const e = engine(store);
      const rule = budget({ scope: "key", keyId: "key_a", amountMicros: 1_000_000 });
      const l = limits({
        key: rate({ rpm: 10, concurrent: 5 }),
        org: rate({ rpm: 2 }),
        budgets: [rule],
      });
      // another key of the org uses up the org limit
      await e.admit(request(l, { keyId: "key_other", maxCostMicros: 10 }));
      await e.admit(request(l, { keyId: "key_other", maxCostMicros: 10 }));
      for (let i = 0; i < 3; i++) {
        const err = await refusal(() => e.admit(request(l, { maxCostMicros: 1000 })));
        expect(err.message).toContain("your organization");
      }
      const snap = await e.snapshot({ orgId: "org_a", keyId: "key_a", limits: l });
      expect(snap.rates.find((r) => r.scope === "key")).toMatchObject({
        measure: "rpm",
        limit: 10,
        remaining: 10,
      });
      expect(snap.rates.find((r) => r.scope === "org")).toMatchObject({
        measure: "rpm",
        limit: 2,
        remaining: 0,
      });
      expect(snap.concurrency).toEqual([{ scope: "key", limit: 5, inFlight: 0 }]);
      expect(snap.budgets[0]).toMatchObject({ reservedMicros: 0, spentMicros: 0 });
    });

    it("headers come from the tightest limit", async () => {
      const e = engine(newStore());
      const l = limits({
        key: rate({ rpm: 100, tpm: 10_000 }),
        org: rate({ rpm: 3 }),
        model: rate({ tpm: 1000 }),
      });
      const a = await e.admit(request(l, { estimateTokens: () => 250 }));
      expect(a.headers["x-ratelimit-limit-requests"]).toBe("3");
      expect(a.headers["x-ratelimit-remaining-requests"]).toBe("2");
      expect(a.headers["x-ratelimit-limit-tokens"]).toBe("1000");
      expect(a.headers["x-ratelimit-remaining-tokens"]).toBe("750");
      expect(a.estimatedTokens).toBe(250);
    });

    it("TPM: admission takes the estimate; settle gives back what the request did not use", async () => {
      const e = engine(newStore());
      const l = limits({ key: rate({ tpm: 1000 }) });
      const a = await e.admit(request(l, { estimateTokens: () => 800 }));
      expect(a.headers["x-ratelimit-remaining-tokens"]).toBe("200");
      const err = await refusal(() => e.admit(request(l, { estimateTokens: () => 300 })));
      expect(err.message).toContain("tokens per minute (TPM)");
      expect(err.message).toContain("requested 300");
      a.settle({ tokens: 100, costMicros: null });
      await e.drain();
      const b = await e.admit(request(l, { estimateTokens: () => 300 }));
      // 1000 − 100 (real) − 300 = 600, give or take the refill of the last milliseconds
      expect(Number(b.headers["x-ratelimit-remaining-tokens"])).toBeGreaterThanOrEqual(600);
      expect(Number(b.headers["x-ratelimit-remaining-tokens"])).toBeLessThan(610);
    });

    it("TPM: settle takes more when the request used more than estimated (never failing it)", async () => {
      const e = engine(newStore());
      const l = limits({ key: rate({ tpm: 1000 }) });
      const a = await e.admit(request(l, { estimateTokens: () => 100 }));
      a.settle({ tokens: 1500, costMicros: null });
      await e.drain();
      const snap = await e.snapshot({ orgId: "org_a", keyId: "key_a", limits: l });
      expect(snap.rates[0]!.remaining).toBe(0);
      expect(snap.rates[0]!.resetMs).toBeGreaterThan(60_000);
      await refusal(() => e.admit(request(l, { estimateTokens: () => 1 })));
    });

    it("TPM: a request larger than the whole limit is refused without Retry-After", async () => {
      const e = engine(newStore());
      const err = await refusal(() =>
        e.admit(request(limits({ org: rate({ tpm: 500 }) }), { estimateTokens: () => 501 })),
      );
      expect(err.status).toBe(429);
      expect(err.message).toContain("Request too large");
      expect(err.headers?.["retry-after"]).toBeUndefined();
    });

    it("RPD counts requests over the day", async () => {
      const e = engine(newStore());
      const l = limits({ key: rate({ rpd: 3, rpm: 100 }) });
      for (let i = 0; i < 3; i++) await e.admit(request(l));
      const err = await refusal(() => e.admit(request(l)));
      expect(err.message).toContain("requests per day (RPD)");
      // the next request comes back after 86400 / 3 s = 8 h
      expect(Number(err.headers?.["retry-after"])).toBeGreaterThan(8 * 3600 - 5);
      expect(Number(err.headers?.["retry-after"])).toBeLessThanOrEqual(8 * 3600);
    });

    it("concurrency: a lease per request, released on settle; settle is idempotent", async () => {
      const e = engine(newStore());
      const l = limits({ model: rate({ concurrent: 2 }) });
      const a = await e.admit(request(l));
      const b = await e.admit(request(l));
      const err = await refusal(() => e.admit(request(l)));
      expect(err.message).toContain('model "gpt-4o"');
      expect(err.message).toContain("limit 2 in flight");
      expect(err.headers?.["retry-after"]).toBe("1");
      // another model is not limited by this one's slots
      await e.admit(request(l, { model: "other" }));
      a.settle({ tokens: 1, costMicros: null });
      a.settle({ tokens: 1, costMicros: null });
      await e.drain();
      const c = await e.admit(request(l));
      await refusal(() => e.admit(request(l)));
      b.settle({ tokens: null, costMicros: null });
      c.settle({ tokens: null, costMicros: null });
      await e.drain();
      const snap = await e.snapshot({ orgId: "org_a", keyId: "key_a", model: "gpt-4o", limits: l });
      expect(snap.concurrency).toEqual([{ scope: "model", limit: 2, inFlight: 0 }]);
    });

    it("no limits: resolves a shared no-op admission without touching the store", async () => {
      let calls = 0;
      const store = newStore();
      const counting: CounterStore = { ...store, admit: (p) => (calls++, store.admit(p)) };
      const e = engine(counting);
      const a = await e.admit(request(limits({ key: rate({}), org: null })));
      const b = await e.admit(
        request(limits({ budgets: [budget({ scope: "user" })] }), { endUser: null }),
      );
      expect(a).toBe(b);
      expect(a.headers).toEqual({});
      a.settle({ tokens: 5, costMicros: 5 });
      expect(calls).toBe(0);
    });

    it("hard budget: 50 concurrent admits never reserve more than the amount; spent equals the settled costs to the micro-dollar", async () => {
      const e = engine(newStore());
      const rule = budget({ amountMicros: 1_000_000, hard: true });
      const l = limits({ budgets: [rule] });
      // each request could cost up to $0.07: at most 14 fit in $1
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => e.admit(request(l, { maxCostMicros: 70_000 }))),
      );
      const admitted = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      expect(admitted).toHaveLength(14);
      expect(admitted.reduce((s, a) => s + a.reservedMicros, 0)).toBeLessThanOrEqual(1_000_000);
      const refused = results.find((r) => r.status === "rejected");
      expect(refused?.status === "rejected" && (refused.reason as Error).message).toMatch(
        /your organization's monthly budget of \$1\.00 \(hard limit\) has \$0\.00 spent and \$0\.98 reserved.*could cost up to \$0\.07/,
      );
      const costs = admitted.map((_, i) => 12_345 + i * 1_001);
      admitted.forEach((a, i) => a.settle({ tokens: 10, costMicros: costs[i]! }));
      await e.drain();
      const snap = await e.snapshot({ orgId: "org_a", keyId: "key_a", limits: l });
      expect(snap.budgets[0]).toMatchObject({
        spentMicros: costs.reduce((s, c) => s + c, 0),
        reservedMicros: 0,
        source: "counter",
      });
    });

    it("hard budget refuses once spent; soft budget admits and alerts once per threshold", async () => {
      const alerts: BudgetAlert[] = [];
      const e = engine(newStore(), { onBudgetAlert: (a) => void alerts.push(a) });
      const hard = budget({ scope: "key", keyId: "key_a", amountMicros: 100, period: "daily" });
      const soft = budget({ amountMicros: 1000, hard: false, alertThresholds: [50, 80, 100] });
      const l = limits({ budgets: [hard, soft] });
      const a = await e.admit(request(l, { maxCostMicros: 100 }));
      a.settle({ tokens: 1, costMicros: 100 });
      await e.drain();
      const err = await refusal(() => e.admit(request(l, { maxCostMicros: 1 })));
      expect(err.code).toBe("budget_exceeded");
      expect(err.message).toContain("this API key's daily budget of $0.0001");
      expect(err.message).toMatch(/It resets at \d{4}-\d\d-\d\dT00:00:00\.000Z\./);
      expect(Number(err.headers?.["retry-after"])).toBeGreaterThan(0);
      // another key is not bound by key_a's budget, and the soft budget only alerts
      const spends = [300, 100, 150, 400, 200];
      for (const cost of spends) {
        const x = await e.admit(request(l, { keyId: "key_b", maxCostMicros: cost }));
        x.settle({ tokens: 1, costMicros: cost });
        await e.drain();
      }
      // soft spent: 100, 400, 500 (50 %), 650, 1050 (80 % and 100 %), 1250
      expect(alerts.map((x) => [x.budget.id, x.thresholdPct, x.spentMicros])).toEqual([
        [soft.id, 50, 500],
        [soft.id, 80, 1050],
        [soft.id, 100, 1050],
      ]);
      expect(alerts[0]).toMatchObject({ orgId: "org_a", keyId: "key_b", amountMicros: 1000 });
      expect(alerts[0]!.periodStart.toISOString()).toMatch(/-01T00:00:00\.000Z$/);
    });

    it("unpriced model under a hard budget is refused unless the org allows it; allowed, it reserves and settles 0", async () => {
      let calls = 0;
      const store = newStore();
      const e = engine({ ...store, admit: (p) => (calls++, store.admit(p)) });
      const rule = budget({ amountMicros: 1000, period: "weekly" });
      const err = await refusal(() =>
        e.admit(
          request(limits({ budgets: [rule] }), { model: "my-llama", maxCostMicros: () => null }),
        ),
      );
      expect(err.code).toBe("budget_exceeded");
      expect(err.message).toContain('Model "my-llama" has no price');
      expect(err.message).toContain("allow unpriced models");
      expect(calls).toBe(0);
      const allowed = limits({ budgets: [rule], allowUnpriced: true });
      const a = await e.admit(request(allowed, { model: "my-llama", maxCostMicros: null }));
      expect(a.reservedMicros).toBe(0);
      a.settle({ tokens: 100, costMicros: null });
      await e.drain();
      const snap = await e.snapshot({ orgId: "org_a", keyId: "key_a", limits: allowed });
      expect(snap.budgets[0]).toMatchObject({ spentMicros: 0, reservedMicros: 0 });
      // a soft budget alone never refuses an unpriced model
      await e.admit(
        request(limits({ budgets: [budget({ hard: false })] }), { maxCostMicros: null }),
      );
    });

    it("per-end-user budgets count each user separately and skip requests without a user", async () => {
      const e = engine(newStore());
      const rule = budget({ scope: "user", amountMicros: 100 });
      const l = limits({ budgets: [rule] });
      const a = await e.admit(request(l, { endUser: "alice", maxCostMicros: 100 }));
      a.settle({ tokens: 1, costMicros: 100 });
      await e.drain();
      const err = await refusal(() => e.admit(request(l, { endUser: "alice", maxCostMicros: 1 })));
      expect(err.message).toContain('end user "alice"');
      await e.admit(request(l, { endUser: "bob", maxCostMicros: 100 }));
      await e.admit(request(l, { endUser: null, maxCostMicros: 100 }));
    });

    it("a failing alert handler is logged and never affects requests", async () => {
      const { logger, lines } = captureLogger();
      const e = createLimitsEngine({
        store: newStore(),
        logger,
        onBudgetAlert: () => {
          throw new Error("sink down");
        },
      });
      const l = limits({
        budgets: [budget({ amountMicros: 10, hard: false, alertThresholds: [50] })],
      });
      const a = await e.admit(request(l, { maxCostMicros: 10 }));
      expect(() => a.settle({ tokens: 1, costMicros: 10 })).not.toThrow();
      await e.drain();
      expect(lines.some((x) => x.msg.includes("alert handler failed"))).toBe(true);
      await e.admit(request(l, { maxCostMicros: 10 }));
    });
  });
}
