import type { UsageSeries, UsageSeriesResult } from "../usage-types";

/** Distinct, colour-blind-friendly-ish hues; "other" and "none" are greys. */
const PALETTE = [
  "#6366f1",
  "#0ea5e9",
  "#10b981",
  "#f59e0b",
  "#ec4899",
  "#8b5cf6",
  "#14b8a6",
  "#f97316",
  "#84cc16",
  "#ef4444",
];
const OTHER_COLOR = "#a1a1aa";
const NONE_COLOR = "#d4d4d8";

export interface ChartSeries {
  /** Data key in the chart rows: `s0`, `s1`… (series ids may contain dots, which charts read as paths). */
  key: string;
  label: string;
  color: string;
  series: UsageSeries;
}

export type ChartRow = { bucket: number } & Record<string, number>;

export type ChartMetric = "spend" | "tokens";

export function chartSeries(result: UsageSeriesResult): ChartSeries[] {
  let next = 0;
  return result.series.map((series, i) => ({
    key: `s${i}`,
    label: series.label,
    color:
      series.kind === "other"
        ? OTHER_COLOR
        : series.kind === "none"
          ? NONE_COLOR
          : PALETTE[next++ % PALETTE.length]!,
    series,
  }));
}

/**
 * One row per bucket with one number per series: dollars (a float, only to draw bars and pick
 * round axis ticks: tooltips and tables read the exact micro-dollars) or tokens (prompt +
 * completion).
 */
export function chartRows(
  result: UsageSeriesResult,
  series: ChartSeries[],
  metric: ChartMetric,
): ChartRow[] {
  return result.buckets.map((bucket, i) => {
    const row: ChartRow = { bucket: bucket.getTime() };
    for (const s of series) {
      const p = s.series.points[i]!;
      row[s.key] =
        metric === "spend"
          ? Number(p.spendMicros) / 1_000_000
          : p.promptTokens + p.completionTokens;
    }
    return row;
  });
}

/**
 * Round axis ticks from 0 to at least `max`: steps of 1, 2, 2.5 or 5 times a power of ten, at
 * most `count` of them above zero (chart libraries' own picks can land on $0.055 steps).
 */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks = [0];
  // Rounded to the step's precision: 3 × 0.1 is 0.30000000000000004 in floating point.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  while (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks.length * step).toFixed(digits)));
  return ticks;
}

/** The tallest stack of the rows: the top of the y axis. */
export function stackMax(rows: ChartRow[], series: ChartSeries[]): number {
  return rows.reduce(
    (max, row) =>
      Math.max(
        max,
        series.reduce((sum, s) => sum + (row[s.key] ?? 0), 0),
      ),
    0,
  );
}
