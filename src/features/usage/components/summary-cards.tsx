import type { ReactNode } from "react";
import { cx } from "~/components/class-names";
import type { UsageTotals } from "../usage-types";
import { formatUsd, formatUsdExact } from "../usd-text";
import { formatCompact, formatCount, formatPercent } from "./usage-format";

function Stat({
  label,
  value,
  title,
  detail,
  tone = "default",
  testId,
}: {
  label: string;
  value: ReactNode;
  title?: string;
  detail: ReactNode;
  tone?: "default" | "warning";
  testId: string;
}) {
  return (
    <div
      data-testid={testId}
      className={cx(
        "rounded-lg border bg-white p-4 shadow-sm",
        tone === "warning" ? "border-amber-300 bg-amber-50/40" : "border-zinc-200",
      )}
    >
      <dt className="text-sm font-medium text-zinc-600">{label}</dt>
      <dd
        className="mt-1.5 text-2xl font-semibold tracking-tight text-zinc-900 tabular-nums"
        title={title}
      >
        {value}
      </dd>
      <dd className="mt-1 text-xs text-zinc-500">{detail}</dd>
    </div>
  );
}

/** The six headline figures of a range. */
export function SummaryCards({ totals }: { totals: UsageTotals }) {
  const onlyUnpriced = totals.pricedRequests === 0 && totals.unpricedRequests > 0;
  const tokens = totals.promptTokens + totals.completionTokens;
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-3">
      <Stat
        testId="stat-spend"
        label="Spend"
        value={
          onlyUnpriced ? (
            <span className="text-amber-700">Unpriced</span>
          ) : (
            formatUsd(totals.spendMicros)
          )
        }
        title={onlyUnpriced ? undefined : formatUsdExact(totals.spendMicros)}
        detail={
          totals.unpricedRequests > 0 ? (
            <span className="text-amber-700">
              Excludes {formatCount(totals.unpricedRequests)} unpriced request
              {totals.unpricedRequests === 1 ? "" : "s"}
            </span>
          ) : (
            `${formatCount(totals.pricedRequests)} priced request${totals.pricedRequests === 1 ? "" : "s"}`
          )
        }
      />
      <Stat
        testId="stat-requests"
        label="Requests"
        value={formatCompact(totals.requests)}
        title={formatCount(totals.requests)}
        detail={
          totals.errors > 0
            ? `${formatCount(totals.errors)} failed (${formatPercent(totals.errors / totals.requests)})`
            : "No failed requests"
        }
      />
      <Stat
        testId="stat-tokens"
        label="Tokens"
        value={formatCompact(tokens)}
        title={`${formatCount(tokens)} tokens`}
        detail={`${formatCompact(totals.promptTokens)} in (${formatCompact(totals.cachedTokens)} cached) · ${formatCompact(totals.completionTokens)} out`}
      />
      <Stat
        testId="stat-hit-rate"
        label="Cache hit rate"
        value={totals.hitRate === null ? "—" : formatPercent(totals.hitRate)}
        detail={
          totals.cacheLookups === 0
            ? "No request looked in the cache"
            : `${formatCount(totals.cacheHits)} of ${formatCount(totals.cacheLookups)} lookups${totals.semanticHits > 0 ? ` · ${formatCount(totals.semanticHits)} semantic` : ""}`
        }
      />
      <Stat
        testId="stat-saved"
        label="Saved by the cache"
        value={formatUsd(totals.savedMicros)}
        title={formatUsdExact(totals.savedMicros)}
        detail="What the replayed answers cost the first time"
      />
      <Stat
        testId="stat-unpriced"
        label="Unpriced requests"
        tone={totals.unpricedRequests > 0 ? "warning" : "default"}
        value={formatCount(totals.unpricedRequests)}
        detail={
          totals.unpricedRequests > 0
            ? "Not in spend: their models have no price"
            : "Every request had a price"
        }
      />
    </dl>
  );
}
