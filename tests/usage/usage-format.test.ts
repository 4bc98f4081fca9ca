import { describe, expect, it } from "vitest";
import {
  chartRows,
  chartSeries,
  niceTicks,
  stackMax,
} from "~/features/usage/components/chart-rows";
import { customRange, presetRange } from "~/features/usage/components/range-presets";
import { zeroMeasures } from "~/features/usage/server/usage-measures";
import {
  bucketFor,
  bucketStarts,
  parseUsageTime,
  rangeProblem,
  resolveUsageRange,
} from "~/features/usage/usage-range";
import type { UsageSeriesResult } from "~/features/usage/usage-types";
import { formatUsd, formatUsdExact, microsToUsdText } from "~/features/usage/usd-text";

describe("money text", () => {
  it("CSV/JSON: six decimals, exact", () => {
    expect(microsToUsdText(0n)).toBe("0.000000");
    expect(microsToUsdText(123n)).toBe("0.000123");
    expect(microsToUsdText(12_345_678n)).toBe("12.345678");
    expect(microsToUsdText(9_007_199_254_740_993n)).toBe("9007199254.740993");
    expect(microsToUsdText(-5n)).toBe("-0.000005");
  });

  it("for people: every micro-dollar under a cent, four decimals under a dollar, cents above", () => {
    expect(formatUsd(0n)).toBe("$0.00");
    expect(formatUsd(123n)).toBe("$0.000123");
    expect(formatUsd(1n)).toBe("$0.000001");
    expect(formatUsd(5_000n)).toBe("$0.005");
    expect(formatUsd(9_999n)).toBe("$0.009999");
    expect(formatUsd(10_000n)).toBe("$0.0100");
    expect(formatUsd(91_000n)).toBe("$0.0910");
    expect(formatUsd(297_450n)).toBe("$0.2975"); // half up
    expect(formatUsd(999_949n)).toBe("$0.9999");
    expect(formatUsd(1_000_000n)).toBe("$1.00");
    expect(formatUsd(1_234_567_891n)).toBe("$1,234.57");
    expect(formatUsd(1_234_565_000n)).toBe("$1,234.57"); // half up, exactly
    expect(formatUsd(-2_500_000n)).toBe("-$2.50");
    // Far beyond a float's exact range, still exact.
    expect(formatUsd(123_456_789_012_345_678n)).toBe("$123,456,789,012.35");
    expect(formatUsdExact(1_234_567_891n)).toBe("$1,234.567891");
  });
});

describe("ranges and buckets", () => {
  const at = (iso: string) => new Date(iso);

  it("48 hours or less is hourly, longer is daily", () => {
    expect(bucketFor(at("2025-03-01T00:00:00Z"), at("2025-03-03T00:00:00Z"))).toBe("hour");
    expect(bucketFor(at("2025-03-01T00:00:00Z"), at("2025-03-03T00:00:01Z"))).toBe("day");
  });

  it("problems: order, length, invalid dates", () => {
    expect(rangeProblem(at("2025-03-02"), at("2025-03-01"))).toMatch(/after its start/);
    expect(rangeProblem(at("2025-03-01"), at("2025-03-01"))).toMatch(/after its start/);
    expect(rangeProblem(at("2024-01-01"), at("2025-02-05"))).toMatch(/at most 400 days/);
    expect(rangeProblem(at("2024-01-01"), at("2025-02-04"))).toBeNull();
    expect(rangeProblem(new Date(Number.NaN), at("2025-01-01"))).toMatch(/valid date/);
  });

  it("bucket starts include the partial first bucket and stop before the end", () => {
    const range = resolveUsageRange({
      since: at("2025-03-01T10:30:00Z"),
      until: at("2025-03-01T13:00:00Z"),
    });
    expect(bucketStarts(range).map((d) => d.toISOString().slice(11, 16))).toEqual([
      "10:00",
      "11:00",
      "12:00",
    ]);
    const days = resolveUsageRange({
      since: at("2025-03-01T10:30:00Z"),
      until: at("2025-03-05T00:00:01Z"),
    });
    expect(bucketStarts(days).map((d) => d.toISOString().slice(5, 10))).toEqual([
      "03-01",
      "03-02",
      "03-03",
      "03-04",
      "03-05",
    ]);
  });

  it("times typed on a command line or in a URL", () => {
    const now = at("2025-03-10T12:00:00Z");
    expect(parseUsageTime("24h", now)?.toISOString()).toBe("2025-03-09T12:00:00.000Z");
    expect(parseUsageTime("7d", now)?.toISOString()).toBe("2025-03-03T12:00:00.000Z");
    expect(parseUsageTime("2w", now)?.toISOString()).toBe("2025-02-24T12:00:00.000Z");
    expect(parseUsageTime("2025-03-01", now)?.toISOString()).toBe("2025-03-01T00:00:00.000Z");
    expect(parseUsageTime("2025-03-01T08:30:00+02:00", now)?.toISOString()).toBe(
      "2025-03-01T06:30:00.000Z",
    );
    for (const bad of ["", "0d", "7", "7y", "yesterday", "2025-02-30", "2025-13-01", "1e3d"]) {
      expect([bad, parseUsageTime(bad, now)]).toEqual([bad, null]);
    }
  });

  it("console presets: whole buckets ending now; custom ranges are checked", () => {
    const now = Date.parse("2025-03-10T12:34:56Z");
    expect(presetRange("24h", now).since.toISOString()).toBe("2025-03-09T13:00:00.000Z");
    expect(presetRange("7d", now).since.toISOString()).toBe("2025-03-04T00:00:00.000Z");
    expect(presetRange("30d", now).since.toISOString()).toBe("2025-02-09T00:00:00.000Z");
    expect(customRange("2025-03-02T00:00", "2025-03-01T00:00")).toEqual({
      problem: "The end of the range must be after its start.",
    });
    expect(customRange("", "2025-03-01T00:00")).toEqual({ problem: "Pick a start and an end." });
    expect("since" in customRange("2025-03-01T00:00", "2025-03-02T00:00")).toBe(true);
  });
});

describe("chart rows", () => {
  it("one row per bucket; series keyed s0, s1… whatever their ids; other and none in grey", () => {
    const point = (spend: bigint, tokens: number) => ({
      ...zeroMeasures(),
      spendMicros: spend,
      promptTokens: tokens,
      completionTokens: 1,
    });
    const result: UsageSeriesResult = {
      since: new Date(0),
      until: new Date(7_200_000),
      bucket: "hour",
      by: "model",
      buckets: [new Date(0), new Date(3_600_000)],
      series: [
        {
          id: "gpt-4.1",
          label: "gpt-4.1",
          kind: "value",
          total: zeroMeasures(),
          points: [point(1_500_000n, 10), point(0n, 0)],
        },
        {
          id: "__none__",
          label: "(no model)",
          kind: "none",
          total: zeroMeasures(),
          points: [point(0n, 0), point(0n, 0)],
        },
        {
          id: "__other__",
          label: "Other",
          kind: "other",
          total: zeroMeasures(),
          points: [point(0n, 0), point(250n, 3)],
        },
      ],
    };
    const series = chartSeries(result);
    expect(series.map((s) => [s.key, s.color])).toEqual([
      ["s0", "#6366f1"],
      ["s1", "#d4d4d8"],
      ["s2", "#a1a1aa"],
    ]);
    expect(chartRows(result, series, "spend")).toEqual([
      { bucket: 0, s0: 1.5, s1: 0, s2: 0 },
      { bucket: 3_600_000, s0: 0, s1: 0, s2: 0.00025 },
    ]);
    expect(chartRows(result, series, "tokens")[1]).toEqual({
      bucket: 3_600_000,
      s0: 1,
      s1: 1,
      s2: 4,
    });
  });
});

describe("axis ticks", () => {
  it("round steps from zero past the maximum", () => {
    expect(niceTicks(0.2187)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0.0487)).toEqual([0, 0.02, 0.04, 0.06]);
    expect(niceTicks(18_000)).toEqual([0, 5000, 10_000, 15_000, 20_000]);
    expect(niceTicks(0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(9)).toEqual([0, 2.5, 5, 7.5, 10]);
    expect(niceTicks(0.000003)).toEqual([0, 0.000001, 0.000002, 0.000003]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it("the tallest stack sets the maximum", () => {
    const series = [{ key: "s0" }, { key: "s1" }] as Parameters<typeof stackMax>[1];
    expect(
      stackMax(
        [
          { bucket: 0, s0: 1, s1: 2 },
          { bucket: 1, s0: 2.5, s1: 0 },
        ],
        series,
      ),
    ).toBe(3);
  });
});
