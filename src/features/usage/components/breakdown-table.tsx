import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { DIMENSION_LABELS } from "../schemas";
import type { UsageSeriesResult } from "../usage-types";
import type { ChartSeries } from "./chart-rows";
import { SpendText } from "./spend-text";
import { formatCompact, formatCount, formatPercent } from "./usage-format";

/** The chart's legend as a table: each series' totals over the range and its share of spend. */
export function BreakdownTable({
  result,
  series,
}: {
  result: UsageSeriesResult;
  series: ChartSeries[];
}) {
  const totalSpend = series.reduce((sum, s) => sum + s.series.total.spendMicros, 0n);
  return (
    <Table label={`Usage by ${DIMENSION_LABELS[result.by].toLowerCase()}`} bare>
      <THead>
        <TR>
          <TH>{DIMENSION_LABELS[result.by]}</TH>
          <TH className="text-right">Requests</TH>
          <TH className="text-right">Tokens in / out</TH>
          <TH className="text-right">Spend</TH>
          <TH className="text-right">Share</TH>
        </TR>
      </THead>
      <TBody>
        {series.map((s) => {
          const t = s.series.total;
          return (
            <TR key={s.key} data-testid="breakdown-row">
              <TD className="max-w-72">
                <span className="flex min-w-0 items-center gap-2">
                  <span
                    className="size-2.5 shrink-0 rounded-sm"
                    style={{ background: s.color }}
                    aria-hidden="true"
                  />
                  <span
                    className={
                      s.series.kind === "value"
                        ? "truncate font-mono text-xs text-zinc-900"
                        : "truncate text-zinc-500 italic"
                    }
                    title={s.label}
                  >
                    {s.label}
                  </span>
                </span>
              </TD>
              <TD className="text-right tabular-nums">{formatCount(t.requests)}</TD>
              <TD
                className="text-right tabular-nums"
                title={`${formatCount(t.promptTokens)} / ${formatCount(t.completionTokens)}`}
              >
                {formatCompact(t.promptTokens)} <span className="text-zinc-400">/</span>{" "}
                {formatCompact(t.completionTokens)}
              </TD>
              <TD className="text-right">
                <SpendText
                  spendMicros={t.spendMicros}
                  pricedRequests={t.pricedRequests}
                  unpricedRequests={t.unpricedRequests}
                  compact
                />
              </TD>
              <TD className="text-right text-zinc-600 tabular-nums">
                {totalSpend === 0n || t.pricedRequests === 0
                  ? "—"
                  : formatPercent(Number(t.spendMicros) / Number(totalSpend))}
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
