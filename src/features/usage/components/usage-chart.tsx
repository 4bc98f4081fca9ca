"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import type { UsageMeasures, UsageSeriesResult } from "../usage-types";
import { formatUsd } from "../usd-text";
import {
  chartRows,
  niceTicks,
  stackMax,
  type ChartMetric,
  type ChartRow,
  type ChartSeries,
} from "./chart-rows";
import { bucketDetail, bucketLabel, formatCount } from "./usage-format";

const compactUsd = new Intl.NumberFormat("en-US", {
  notation: "compact",
  maximumFractionDigits: 1,
});
const smallUsd = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 });
const compactTokens = new Intl.NumberFormat("en-US", {
  notation: "compact",
  maximumFractionDigits: 1,
});

/** Axis ticks (display only: the tooltip shows the exact figures). */
function usdTick(dollars: number): string {
  return `$${dollars >= 10_000 ? compactUsd.format(dollars) : smallUsd.format(dollars)}`;
}

/** A bucket's figure for one series, exact: micro-dollars or tokens. */
function pointValue(metric: ChartMetric, p: UsageMeasures): bigint {
  return metric === "spend" ? p.spendMicros : BigInt(p.promptTokens + p.completionTokens);
}

function formatValue(metric: ChartMetric, value: bigint): string {
  return metric === "spend" ? formatUsd(value) : `${formatCount(Number(value))} tokens`;
}

function ChartTooltip({
  active,
  label,
  result,
  series,
  metric,
  rows,
}: Pick<TooltipContentProps, "active" | "label"> & {
  result: UsageSeriesResult;
  series: ChartSeries[];
  metric: ChartMetric;
  rows: ChartRow[];
}) {
  if (!active || label === undefined) return null;
  const index = rows.findIndex((r) => r.bucket === Number(label));
  const row = rows[index];
  if (!row) return null;
  const items = series
    .map((s) => {
      const p = s.series.points[index]!;
      return { s, value: pointValue(metric, p), unpriced: p.unpricedRequests };
    })
    .filter((item) => item.value > 0n || item.unpriced > 0);
  const total = items.reduce((sum, item) => sum + item.value, 0n);
  return (
    <div
      data-testid="usage-tooltip"
      className="min-w-52 rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-lg"
    >
      <p className="mb-1.5 font-medium text-zinc-900">
        {bucketDetail(new Date(row.bucket), result.bucket)}
      </p>
      {items.length === 0 ? (
        <p className="text-zinc-500">No requests</p>
      ) : (
        <ul className="space-y-1">
          {items.map(({ s, value, unpriced }) => (
            <li key={s.key} className="flex items-center gap-2">
              <span className="size-2.5 shrink-0 rounded-sm" style={{ background: s.color }} />
              <span className="max-w-44 truncate text-zinc-700">{s.label}</span>
              <span className="ml-auto pl-3 font-mono text-zinc-900 tabular-nums">
                {metric === "spend" && value === 0n && unpriced > 0
                  ? "unpriced"
                  : formatValue(metric, value)}
              </span>
            </li>
          ))}
          {items.length > 1 ? (
            <li className="flex border-t border-zinc-100 pt-1 font-medium text-zinc-900">
              Total
              <span className="ml-auto font-mono tabular-nums">{formatValue(metric, total)}</span>
            </li>
          ) : null}
        </ul>
      )}
    </div>
  );
}

/** Stacked bars of spend or tokens per bucket, one colour per series. Client-only (measures the DOM). */
export function UsageChart({
  result,
  series,
  metric,
  height = 240,
}: {
  result: UsageSeriesResult;
  series: ChartSeries[];
  metric: ChartMetric;
  height?: number;
}) {
  const rows = chartRows(result, series, metric);
  const yTicks = niceTicks(stackMax(rows, series));
  return (
    <div
      role="img"
      aria-label={`${metric === "spend" ? "Spend" : "Tokens"} per ${result.bucket}, stacked by ${result.by}`}
      data-testid={`usage-chart-${metric}`}
    >
      <ResponsiveContainer width="100%" height={height}>
        <BarChart
          data={rows}
          margin={{ top: 4, right: 4, bottom: 0, left: 0 }}
          barCategoryGap="18%"
        >
          <CartesianGrid vertical={false} stroke="#f4f4f5" />
          <XAxis
            dataKey="bucket"
            tickFormatter={(value: number) => bucketLabel(new Date(value), result.bucket)}
            // Thins labels to what fits (a phone shows fewer hours than a desktop).
            interval="equidistantPreserveStart"
            tickLine={false}
            axisLine={{ stroke: "#e4e4e7" }}
            tick={{ fontSize: 11, fill: "#71717a" }}
            minTickGap={14}
          />
          <YAxis
            tickFormatter={(value: number) =>
              metric === "spend" ? usdTick(value) : compactTokens.format(value)
            }
            tickLine={false}
            axisLine={false}
            tick={{ fontSize: 11, fill: "#71717a" }}
            width={60}
            ticks={yTicks}
            domain={[0, yTicks[yTicks.length - 1]!]}
          />
          <Tooltip
            cursor={{ fill: "#f4f4f5" }}
            isAnimationActive={false}
            content={(props) => (
              <ChartTooltip
                active={props.active}
                label={props.label}
                result={result}
                series={series}
                metric={metric}
                rows={rows}
              />
            )}
          />
          {series.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stackId="usage"
              fill={s.color}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
