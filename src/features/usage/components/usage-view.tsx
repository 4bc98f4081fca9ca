"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Alert } from "~/components/alert";
import { Button, buttonClasses } from "~/components/button";
import { Card } from "~/components/card";
import { cx } from "~/components/class-names";
import { PageHeader } from "~/components/page-header";
import { LoadingBlock, Spinner } from "~/components/spinner";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { DIMENSION_NOUNS, usageDimensionSchema } from "../schemas";
import { BreakdownTable } from "./breakdown-table";
import { chartSeries } from "./chart-rows";
import { customRange, isRangePreset, presetRange, toLocalInput } from "./range-presets";
import { SummaryCards } from "./summary-cards";
import { TopKeysTable } from "./top-keys-table";
import { UnpricedModelsCard } from "./unpriced-models-card";
import { UsageChart } from "./usage-chart";
import { UsageEmptyState } from "./usage-empty-state";
import { UsageFilters, type UsageFilterValues } from "./usage-filters";

const SERIES_TOP = 6;

/** Filters live in the URL (`?range=7d&by=key`): a view can be linked and survives a reload. */
function readFilters(params: URLSearchParams, now: number): UsageFilterValues {
  const range = params.get("range");
  const by = usageDimensionSchema.safeParse(params.get("by"));
  return {
    range: isRangePreset(range) ? range : "7d",
    from: params.get("from") ?? toLocalInput(new Date(now - 7 * 86_400_000)),
    to: params.get("to") ?? toLocalInput(new Date(now)),
    by: by.success ? by.data : "model",
  };
}

export function UsageView() {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  // Presets end "now" as of this moment; Refresh moves it (and refetches: within the same hour
  // the query inputs stay the same, and their "until" is the server's now).
  const [now, setNow] = useState(() => Date.now());
  const refresh = () => {
    setNow(Date.now());
    void queryClient.invalidateQueries({ queryKey: trpc.usage.pathKey() });
  };
  // The URL is written on every change but read once: it updates asynchronously, so two quick
  // changes in a row would otherwise start from a stale copy.
  const [filters, setFilterState] = useState(() => readFilters(searchParams, now));

  const setFilters = (patch: Partial<UsageFilterValues>) => {
    const next = { ...filters, ...patch };
    setFilterState(next);
    const params = new URLSearchParams();
    params.set("range", next.range);
    if (next.range === "custom") {
      params.set("from", next.from);
      params.set("to", next.to);
    }
    if (next.by !== "model") params.set("by", next.by);
    router.replace(`${pathname}?${params.toString()}`, { scroll: false });
  };

  let range: { since: Date; until: Date | undefined } | null = null;
  let problem: string | null = null;
  if (filters.range !== "custom") {
    range = { since: presetRange(filters.range, now).since, until: undefined };
  } else {
    const custom = customRange(filters.from, filters.to);
    if ("problem" in custom) problem = custom.problem;
    else range = custom;
  }
  const allowed = org.can("usage:read");
  const enabled = allowed && range !== null;
  const input = { orgSlug: org.slug, since: range?.since ?? new Date(0), until: range?.until };

  const totals = useQuery(
    trpc.usage.totals.queryOptions(input, { enabled, placeholderData: keepPreviousData }),
  );
  const series = useQuery(
    trpc.usage.series.queryOptions(
      { ...input, by: filters.by, top: SERIES_TOP },
      { enabled, placeholderData: keepPreviousData },
    ),
  );
  const topKeys = useQuery(
    trpc.usage.topKeys.queryOptions(
      { ...input, limit: 10 },
      { enabled, placeholderData: keepPreviousData },
    ),
  );
  const unpriced = useQuery(
    trpc.usage.unpricedModels.queryOptions(
      { ...input, limit: 20 },
      { enabled, placeholderData: keepPreviousData },
    ),
  );

  if (!allowed) {
    return (
      <>
        <PageHeader title="Usage" />
        <Alert tone="info">
          Your role ({org.role}) cannot read the usage of this organization.
        </Alert>
      </>
    );
  }

  const exportParams = new URLSearchParams({ by: filters.by });
  if (range) {
    exportParams.set("since", range.since.toISOString());
    if (range.until) exportParams.set("until", range.until.toISOString());
  }
  const fetching =
    totals.isFetching || series.isFetching || topKeys.isFetching || unpriced.isFetching;
  const dimension = DIMENSION_NOUNS[filters.by];
  // Nothing to filter or export before the first request.
  const noTraffic = totals.data?.hasTraffic === false;
  const bucketWord = series.data?.bucket ?? totals.data?.bucket ?? "day";

  return (
    <>
      <PageHeader
        title="Usage"
        description="Spend, tokens and cache savings of every request through the gateway, over time and by model, key, provider or end user."
        actions={
          noTraffic ? undefined : (
            <>
              <Button
                variant="ghost"
                onClick={refresh}
                icon={fetching ? <Spinner className="size-3.5" /> : undefined}
              >
                Refresh
              </Button>
              <a
                href={
                  range ? `/orgs/${org.slug}/usage/export?${exportParams.toString()}` : undefined
                }
                aria-disabled={range ? undefined : true}
                download
                className={cx(
                  buttonClasses("secondary"),
                  !range && "pointer-events-none opacity-50",
                )}
              >
                Export CSV
              </a>
            </>
          )
        }
      />
      {noTraffic ? null : <UsageFilters values={filters} onChange={setFilters} problem={problem} />}

      {range === null ? null : totals.isPending ? (
        <LoadingBlock label="Adding up usage…" />
      ) : totals.isError ? (
        <Alert tone="danger">{errorMessage(totals.error)}</Alert>
      ) : !totals.data.hasTraffic ? (
        <UsageEmptyState slug={org.slug} />
      ) : (
        <div className="space-y-5">
          <SummaryCards totals={totals.data} />

          <Card
            title="Spend"
            description={`Per ${bucketWord}, stacked by ${dimension}${bucketWord === "day" ? " (UTC days)" : ""}. Unpriced requests add nothing here.`}
          >
            {series.isPending ? (
              <LoadingBlock />
            ) : series.isError ? (
              <Alert tone="danger">{errorMessage(series.error)}</Alert>
            ) : totals.data.requests === 0 ? (
              <p className="py-10 text-center text-sm text-zinc-500">
                No requests in this range. Pick a longer one to see earlier traffic.
              </p>
            ) : (
              <div className="space-y-4">
                <UsageChart result={series.data} series={chartSeries(series.data)} metric="spend" />
                <div className="-mx-5 border-t border-zinc-100">
                  <BreakdownTable result={series.data} series={chartSeries(series.data)} />
                </div>
              </div>
            )}
          </Card>

          {series.data && totals.data.requests > 0 ? (
            <Card
              title="Tokens"
              description={`Prompt and completion tokens per ${bucketWord}, stacked by ${dimension}.`}
            >
              <UsageChart
                result={series.data}
                series={chartSeries(series.data)}
                metric="tokens"
                height={200}
              />
            </Card>
          ) : null}

          <Card title="Top API keys" description="The keys that spent the most in this range.">
            {topKeys.isPending ? (
              <LoadingBlock />
            ) : topKeys.isError ? (
              <Alert tone="danger">{errorMessage(topKeys.error)}</Alert>
            ) : topKeys.data.length === 0 ? (
              <p className="text-sm text-zinc-600">No requests in this range.</p>
            ) : (
              <div className="-mx-5 -my-4">
                <TopKeysTable rows={topKeys.data} />
              </div>
            )}
          </Card>

          {unpriced.isError ? (
            <Alert tone="danger">{errorMessage(unpriced.error)}</Alert>
          ) : unpriced.data ? (
            <UnpricedModelsCard
              rows={unpriced.data}
              pricesHref={`/orgs/${org.slug}/logs/settings#prices`}
            />
          ) : null}

          <p className="text-xs text-zinc-500">
            Costs come from your{" "}
            <Link
              href={`/orgs/${org.slug}/logs/settings#prices`}
              className="font-medium text-brand-700 hover:underline"
            >
              custom prices
            </Link>{" "}
            first, then the bundled price catalog, at the time of each request. Money is added up
            exactly, to the micro-dollar.
          </p>
        </div>
      )}
    </>
  );
}
