import { describe, expect, it } from "vitest";
import { periodBounds } from "~/gateway/limits/budget-periods";
import { formatResetDuration, retryAfterSeconds } from "~/gateway/limits/duration-format";
import { thresholdMicros } from "~/gateway/limits/limit-checks";
import { formatUsd } from "~/gateway/limits/money-format";
import { budget } from "./limits-fixtures";

describe("formatResetDuration (OpenAI's x-ratelimit-reset-* format)", () => {
  it.each([
    [0, "0ms"],
    [12, "12ms"],
    [11.2, "12ms"],
    [999.5, "1s"],
    [1000, "1s"],
    [1500, "1.5s"],
    [12_000, "12s"],
    [59_999, "59.999s"],
    [60_000, "1m0s"],
    [360_000, "6m0s"],
    [3_723_400, "1h2m3.4s"],
    [-5, "0ms"],
  ])("%s ms → %s", (ms, text) => {
    expect(formatResetDuration(ms)).toBe(text);
  });

  it("Retry-After is whole seconds rounded up, at least 1", () => {
    expect(retryAfterSeconds(1)).toBe("1");
    expect(retryAfterSeconds(12_000)).toBe("12");
    expect(retryAfterSeconds(12_001)).toBe("13");
  });
});

describe("budget periods (UTC)", () => {
  const at = Date.UTC(2024, 1, 29, 23, 30); // Thursday 29 February 2024 (leap day)
  it.each([
    ["daily", Date.UTC(2024, 1, 29), Date.UTC(2024, 2, 1)],
    ["weekly", Date.UTC(2024, 1, 26), Date.UTC(2024, 2, 4)], // Monday to Monday
    ["monthly", Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)],
    ["total", 0, null],
  ] as const)("%s", (period, start, end) => {
    expect(periodBounds(period, at)).toEqual({ start, end });
  });

  it("a Sunday belongs to the week that began the Monday before; December rolls into January", () => {
    expect(periodBounds("weekly", Date.UTC(2024, 2, 3, 23, 59)).start).toBe(Date.UTC(2024, 1, 26));
    expect(periodBounds("weekly", Date.UTC(2024, 2, 4)).start).toBe(Date.UTC(2024, 2, 4));
    expect(periodBounds("monthly", Date.UTC(2024, 11, 31, 23)).end).toBe(Date.UTC(2025, 0, 1));
  });
});

describe("money and thresholds", () => {
  it("formats micro-dollars without hiding small amounts", () => {
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(12_500_000)).toBe("$12.50");
    expect(formatUsd(125)).toBe("$0.000125");
    expect(formatUsd(1_234_567_890_000)).toBe("$1,234,567.89");
  });

  it("threshold amounts are exact (rounded up) even for the largest budgets", () => {
    expect(thresholdMicros(budget({ amountMicros: 999, alertThresholds: [50, 100] }))).toEqual([
      [50, 500],
      [100, 999],
    ]);
    expect(thresholdMicros(budget({ amountMicros: 1e15 - 1, alertThresholds: [33] }))).toEqual([
      [33, 329_999_999_999_999 + 1],
    ]);
  });
});
