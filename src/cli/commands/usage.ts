import type { Command } from "commander";
import { findOrganizationBySlug } from "~/features/orgs/server/find-organization-by-slug";
import {
  DIMENSION_LABELS,
  usageDimensionSchema,
  type UsageDimension,
} from "~/features/usage/schemas";
import { getUsageSeries } from "~/features/usage/server/get-usage-series";
import { getUsageTotals } from "~/features/usage/server/get-usage-totals";
import { addMeasures, zeroMeasures } from "~/features/usage/server/usage-measures";
import { parseUsageTime, rangeProblem, resolveUsageRange } from "~/features/usage/usage-range";
import type { UsageMeasures } from "~/features/usage/usage-types";
import { microsToUsdText } from "~/features/usage/usd-text";
import { parseInput, UsageError } from "../cli-error";
import { cliContext, parseOrgSlug } from "../cli-context";
import { formatDate } from "../output";

interface UsageOptions {
  org: string;
  since: string;
  until?: string;
  by: string;
  top: string;
}

const TIME_HINT =
  "use a duration like 24h, 7d, 2w or an ISO date like 2026-01-31 or 2026-01-31T12:00:00Z";

function parseTime(flag: string, text: string, now: Date): Date {
  const date = parseUsageTime(text, now);
  if (!date) throw new UsageError(`${flag}: "${text}" is not a time; ${TIME_HINT}`);
  return date;
}

function parseTop(text: string): number {
  const top = Number(text);
  if (!Number.isInteger(top) || top < 1 || top > 20)
    throw new UsageError("--top: a whole number from 1 to 20");
  return top;
}

/** Exact dollars from micro-dollars; null when every request was unpriced (never "$0"). */
function spendUsd(m: UsageMeasures): string | null {
  return m.pricedRequests === 0 && m.unpricedRequests > 0 ? null : microsToUsdText(m.spendMicros);
}

/** Money as strings in JSON: bigint has no JSON form, and a float would not be exact. */
function measuresJson(m: UsageMeasures) {
  return {
    requests: m.requests,
    promptTokens: m.promptTokens,
    completionTokens: m.completionTokens,
    cachedTokens: m.cachedTokens,
    spendMicros: m.spendMicros.toString(),
    spendUsd: spendUsd(m),
    pricedRequests: m.pricedRequests,
    unpricedRequests: m.unpricedRequests,
    cacheHits: m.cacheHits,
    savedMicros: m.savedMicros.toString(),
    savedUsd: microsToUsdText(m.savedMicros),
  };
}

const count = (n: number) => n.toLocaleString("en-US");

export function registerUsageCommands(program: Command): void {
  program
    .command("usage")
    .description("Spend, tokens and cache savings of an organization over a time range")
    .requiredOption("--org <slug>", "organization slug")
    .option("--since <when>", `start of the range: ${TIME_HINT}`, "7d")
    .option("--until <when>", "end of the range, same forms as --since (default: now)")
    .option("--by <dimension>", "break down by model, key, provider or user", "model")
    .option("--top <n>", 'values listed on their own (the rest add up to "other")', "20")
    .action(async (opts: UsageOptions, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      // Everything is checked before the database is opened.
      const slug = parseOrgSlug(opts.org);
      const now = new Date();
      const since = parseTime("--since", opts.since, now);
      const until = opts.until === undefined ? now : parseTime("--until", opts.until, now);
      const problem = rangeProblem(since, until);
      if (problem)
        throw new UsageError(`${opts.until === undefined ? "--since" : "--until"}: ${problem}`);
      const by: UsageDimension = parseInput(usageDimensionSchema, opts.by, "--by");
      const top = parseTop(opts.top);
      const range = resolveUsageRange({ since, until });

      const { org, totals, series } = await withDatabase(async (db) => {
        const org = await findOrganizationBySlug(db, slug);
        const [totals, series] = await Promise.all([
          getUsageTotals(db, { orgId: org.id, range }),
          getUsageSeries(db, { orgId: org.id, range, by, top }),
        ]);
        return { org, totals, series };
      });
      const buckets = series.buckets.map((start, i) => ({
        start,
        ...series.series.reduce((acc, s) => addMeasures(acc, s.points[i]!), zeroMeasures()),
      }));

      if (out.json) {
        return out.result({
          org: { id: org.id, slug: org.slug, name: org.name },
          since: range.since.toISOString(),
          until: range.until.toISOString(),
          bucket: range.bucket,
          by,
          totals: {
            ...measuresJson(totals),
            errors: totals.errors,
            cacheLookups: totals.cacheLookups,
            semanticHits: totals.semanticHits,
            hitRate: totals.hitRate,
          },
          breakdown: series.series.map((s) => ({
            id: s.id,
            label: s.label,
            kind: s.kind,
            ...measuresJson(s.total),
          })),
          buckets: buckets.map(({ start, ...m }) => ({
            start: start.toISOString(),
            ...measuresJson(m),
          })),
        });
      }

      out.line(
        `Usage of ${org.slug}, ${formatDate(range.since)} → ${formatDate(range.until)} (${range.bucket === "hour" ? "hourly" : "daily"} buckets)`,
      );
      if (totals.requests === 0) {
        out.line(
          totals.hasTraffic
            ? "No requests in this range."
            : `${org.slug} has sent no requests yet.`,
        );
        return;
      }
      const spend = spendUsd(totals);
      out.line(
        `Spend:    ${spend === null ? "unpriced" : `$${spend}`}${totals.unpricedRequests > 0 ? ` (excludes ${count(totals.unpricedRequests)} unpriced request${totals.unpricedRequests === 1 ? "" : "s"})` : ""}`,
      );
      out.line(`Requests: ${count(totals.requests)} (${count(totals.errors)} failed)`);
      out.line(
        `Tokens:   ${count(totals.promptTokens)} in (${count(totals.cachedTokens)} cached) · ${count(totals.completionTokens)} out`,
      );
      out.line(
        `Cache:    ${totals.hitRate === null ? "no lookups" : `${count(totals.cacheHits)} hits of ${count(totals.cacheLookups)} lookups (${(totals.hitRate * 100).toFixed(1)}%)`} · saved $${microsToUsdText(totals.savedMicros)}`,
      );
      out.line();
      out.table(
        [
          DIMENSION_LABELS[by].toUpperCase(),
          "REQUESTS",
          "TOKENS IN",
          "TOKENS OUT",
          "CACHED",
          "SPEND",
          "UNPRICED",
          "SAVED",
        ],
        series.series.map((s) => {
          const usd = spendUsd(s.total);
          return [
            s.label,
            count(s.total.requests),
            count(s.total.promptTokens),
            count(s.total.completionTokens),
            count(s.total.cachedTokens),
            usd === null ? "unpriced" : `$${usd}`,
            count(s.total.unpricedRequests),
            `$${microsToUsdText(s.total.savedMicros)}`,
          ];
        }),
      );
    });
}
