"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Alert } from "~/components/alert";
import { Button, ButtonLink } from "~/components/button";
import { cx } from "~/components/class-names";
import { EmptyState } from "~/components/empty-state";
import {
  ArrowRightIcon,
  ChevronLeftIcon,
  ChevronRightIcon,
  SettingsIcon,
  LogsIcon,
} from "~/components/icons";
import { Field, Input } from "~/components/input";
import { PageHeader } from "~/components/page-header";
import { Select } from "~/components/select";
import { LoadingBlock, Spinner } from "~/components/spinner";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { CostCell, GuardrailBadge, StatusBadge } from "./log-badges";
import { LogDetailDrawer } from "./log-detail-drawer";
import { formatMs, formatTokens } from "./log-format";
import type { LogListItem } from "./log-types";
import { mergeRows, useLiveTail } from "./use-live-tail";

const PAGE_SIZE = 50;

const RANGES = [
  { id: "all", label: "All time", ms: null },
  { id: "15m", label: "Last 15 minutes", ms: 15 * 60_000 },
  { id: "1h", label: "Last hour", ms: 3_600_000 },
  { id: "24h", label: "Last 24 hours", ms: 24 * 3_600_000 },
  { id: "7d", label: "Last 7 days", ms: 7 * 24 * 3_600_000 },
  { id: "30d", label: "Last 30 days", ms: 30 * 24 * 3_600_000 },
  { id: "custom", label: "Custom range…", ms: null },
] as const;
type RangeId = (typeof RANGES)[number]["id"];

const STATUS_OPTIONS = [
  { value: "", label: "Any status" },
  { value: "success", label: "Success (2xx)" },
  { value: "error", label: "Errors (4xx, 5xx)" },
  ...[400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504].map((s) => ({
    value: String(s),
    label: String(s),
  })),
];

interface Filters {
  keyId: string;
  model: string;
  status: string;
  range: RangeId;
  /** When a relative range was picked: its window ends "now" as of then (the live tail adds newer rows). */
  rangeStart: number | null;
  from: string;
  to: string;
}
const NO_FILTERS: Filters = {
  keyId: "",
  model: "",
  status: "",
  range: "all",
  rangeStart: null,
  from: "",
  to: "",
};

function queryFilters(f: Filters) {
  const status: "success" | "error" | number | undefined =
    f.status === ""
      ? undefined
      : f.status === "success" || f.status === "error"
        ? f.status
        : Number(f.status);
  const since =
    f.range === "custom"
      ? f.from
        ? new Date(f.from)
        : undefined
      : f.rangeStart !== null
        ? new Date(f.rangeStart)
        : undefined;
  const until = f.range === "custom" && f.to ? new Date(f.to) : undefined;
  return {
    keyId: f.keyId || undefined,
    model: f.model || undefined,
    status,
    since,
    until,
  };
}

function LiveToggle({
  on,
  polling,
  disabled,
  onChange,
}: {
  on: boolean;
  polling: boolean;
  disabled: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      disabled={disabled}
      title={
        disabled
          ? "Live tail follows new requests: clear the end of the time range first."
          : undefined
      }
      onClick={() => onChange(!on)}
      className={cx(
        "inline-flex h-9 items-center gap-2 rounded-md border px-3 text-sm font-medium shadow-sm transition-colors disabled:cursor-not-allowed disabled:opacity-50",
        on
          ? "border-emerald-300 bg-emerald-50 text-emerald-800"
          : "border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50",
      )}
    >
      <span className="relative flex size-2.5">
        {on ? (
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-75" />
        ) : null}
        <span
          className={cx(
            "relative inline-flex size-2.5 rounded-full",
            on ? "bg-emerald-500" : "bg-zinc-300",
          )}
        />
      </span>
      Live tail
      {polling ? <span className="sr-only">(checking for new requests)</span> : null}
    </button>
  );
}

const clock = new Intl.DateTimeFormat(undefined, {
  hour: "numeric",
  minute: "2-digit",
  second: "2-digit",
});
const dayAndClock = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** Seconds matter when watching traffic: today's rows show a clock time, older ones a date too. */
function LogTime({ value }: { value: Date }) {
  const today = new Date().toDateString() === value.toDateString();
  return (
    <time dateTime={value.toISOString()} title={full.format(value)}>
      {today ? clock.format(value) : dayAndClock.format(value)}
    </time>
  );
}

function ModelCell({ row }: { row: LogListItem }) {
  const requested = row.requestedModel;
  const served = row.servedModel;
  if (!requested && !served) return <span className="text-zinc-400">—</span>;
  if (!served || requested === served)
    return (
      <span className="block truncate font-mono text-xs text-zinc-900">{requested ?? served}</span>
    );
  return (
    <span
      className="flex items-center gap-1 font-mono text-xs"
      title={`${requested ?? "?"} → ${served}`}
    >
      <span className="max-w-32 truncate text-zinc-600">{requested ?? "—"}</span>
      <ArrowRightIcon className="size-3 shrink-0 text-zinc-400" />
      <span className="min-w-0 truncate text-zinc-900">{served}</span>
    </span>
  );
}

export function LogsView() {
  const org = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const openId = searchParams.get("log");
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [live, setLive] = useState(false);

  const input = queryFilters(filters);
  const filterKey = JSON.stringify(input);
  const [paging, setPaging] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: filterKey,
    cursors: [undefined],
  });
  const cursors = paging.key === filterKey ? paging.cursors : [undefined];
  const setCursors = (next: (string | undefined)[]) => setPaging({ key: filterKey, cursors: next });
  const page = cursors.length - 1;

  const allowed = org.can("logs:read");
  const options = useQuery(
    trpc.logs.filters.queryOptions({ orgSlug: org.slug }, { enabled: allowed }),
  );
  const logs = useQuery(
    trpc.logs.list.queryOptions(
      { orgSlug: org.slug, ...input, cursor: cursors[page], limit: PAGE_SIZE },
      { placeholderData: keepPreviousData, enabled: allowed },
    ),
  );
  const liveAllowed = !input.until;
  const tailing = live && liveAllowed && page === 0;
  const {
    tail,
    polling,
    error: tailError,
  } = useLiveTail(
    {
      orgSlug: org.slug,
      keyId: input.keyId,
      model: input.model,
      status: input.status,
      since: input.since,
    },
    logs.data && page === 0 ? logs.data.items : undefined,
    tailing && !logs.isPlaceholderData && logs.isSuccess,
  );
  const tailIds = new Set(tail.map((r) => r.id));

  const openLog = (id: string | null) => {
    const params = new URLSearchParams(searchParams.toString());
    if (id) params.set("log", id);
    else params.delete("log");
    const qs = params.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };

  if (!allowed) {
    return (
      <>
        <PageHeader title="Logs" />
        <Alert tone="info">
          Your role ({org.role}) cannot read the request logs of this organization.
        </Alert>
      </>
    );
  }

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const filtered =
    filters.keyId !== "" ||
    filters.model !== "" ||
    filters.status !== "" ||
    filters.range !== "all";
  const rows = logs.data
    ? page === 0 && tail.length > 0
      ? mergeRows(tail, logs.data.items)
      : logs.data.items
    : [];
  const dateError =
    filters.range === "custom" && filters.from && filters.to && filters.from > filters.to
      ? "The start of the range is after its end."
      : null;
  const models = options.data?.models ?? [];

  return (
    <>
      <PageHeader
        title="Logs"
        description="Every request through the gateway: who sent it, which model answered, how long it took and what it cost."
        actions={
          <>
            <LiveToggle
              on={tailing}
              polling={polling}
              disabled={!liveAllowed}
              onChange={(on) => {
                setLive(on);
                if (on) setCursors([undefined]);
                else void logs.refetch();
              }}
            />
            <ButtonLink
              href={`/orgs/${org.slug}/logs/settings`}
              variant="secondary"
              icon={<SettingsIcon />}
            >
              Settings
            </ButtonLink>
          </>
        }
      />

      <form
        role="search"
        aria-label="Filter request logs"
        onSubmit={(e) => e.preventDefault()}
        className="mb-4 grid gap-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-[1fr_1fr_auto_auto_auto] lg:items-end"
      >
        <Field label="API key">
          {(control) => (
            <Select
              {...control}
              value={filters.keyId}
              onChange={(e) => set({ keyId: e.target.value })}
            >
              <option value="">All keys</option>
              {(options.data?.keys ?? []).map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name} ({k.prefix}…{k.last4}){k.revoked ? " — revoked" : ""}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Model">
          {(control) => (
            <Select
              {...control}
              value={filters.model}
              onChange={(e) => set({ model: e.target.value })}
            >
              <option value="">All models</option>
              {filters.model && !models.includes(filters.model) ? (
                <option value={filters.model}>{filters.model}</option>
              ) : null}
              {models.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Status">
          {(control) => (
            <Select
              {...control}
              value={filters.status}
              onChange={(e) => set({ status: e.target.value })}
              className="lg:w-44"
            >
              {STATUS_OPTIONS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Time">
          {(control) => (
            <Select
              {...control}
              value={filters.range}
              className="lg:w-44"
              onChange={(e) => {
                const range = e.target.value as RangeId;
                const ms = RANGES.find((r) => r.id === range)?.ms ?? null;
                set({ range, rangeStart: ms === null ? null : Date.now() - ms });
              }}
            >
              {RANGES.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Button
          variant="ghost"
          disabled={!filtered}
          onClick={() => setFilters(NO_FILTERS)}
          className="sm:col-span-2 sm:justify-self-start lg:col-span-1"
        >
          Clear filters
        </Button>
        {filters.range === "custom" ? (
          <div className="grid gap-3 sm:col-span-2 sm:grid-cols-2 lg:col-span-5 lg:max-w-xl">
            <Field label="From">
              {(control) => (
                <Input
                  {...control}
                  type="datetime-local"
                  value={filters.from}
                  max={filters.to || undefined}
                  onChange={(e) => set({ from: e.target.value })}
                />
              )}
            </Field>
            <Field label="To">
              {(control) => (
                <Input
                  {...control}
                  type="datetime-local"
                  value={filters.to}
                  min={filters.from || undefined}
                  onChange={(e) => set({ to: e.target.value })}
                />
              )}
            </Field>
          </div>
        ) : null}
      </form>
      {dateError ? (
        <Alert tone="warning" className="mb-4">
          {dateError}
        </Alert>
      ) : null}
      {tailError ? (
        <Alert tone="warning" className="mb-4">
          Live tail paused: {errorMessage(tailError)}
        </Alert>
      ) : null}

      {logs.isPending ? (
        <LoadingBlock label="Loading request logs…" />
      ) : logs.isError ? (
        <Alert tone="danger">{errorMessage(logs.error)}</Alert>
      ) : rows.length === 0 && page === 0 ? (
        filtered ? (
          <EmptyState
            icon={<LogsIcon className="size-5" />}
            title="No requests match these filters"
            description={
              tailing
                ? "Waiting for new requests… They appear here as they arrive."
                : "Try a wider time range, another key or another model."
            }
            action={
              <Button variant="secondary" onClick={() => setFilters(NO_FILTERS)}>
                Clear filters
              </Button>
            }
          />
        ) : (
          <EmptyState
            icon={<LogsIcon className="size-5" />}
            title="No requests yet"
            description={
              <>
                Send your first request to{" "}
                <code className="text-zinc-800">/v1/chat/completions</code> with a Switchyard API
                key — the quickstart on the Overview page has a copy-paste example. It shows up here
                within a couple of seconds
                {tailing ? "." : "; turn on Live tail to watch it arrive."}
              </>
            }
            action={
              <ButtonLink href={`/orgs/${org.slug}`} variant="secondary" icon={<ArrowRightIcon />}>
                Open the quickstart
              </ButtonLink>
            }
          />
        )
      ) : (
        <>
          <style>{`@keyframes sy-log-arrive { from { background-color: rgb(236 253 245); } to { background-color: transparent; } }`}</style>
          <Table label="Request logs">
            <THead>
              <TR>
                <TH>Time</TH>
                <TH>Key</TH>
                <TH>Model · provider</TH>
                <TH>Status</TH>
                <TH className="text-right">
                  Latency
                  <span className="block text-[10px] font-normal tracking-normal text-zinc-500 normal-case">
                    time to first token
                  </span>
                </TH>
                <TH className="text-right">Tokens in / out</TH>
                <TH className="text-right">Cost</TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((row) => (
                <TR
                  key={row.id}
                  data-testid="log-row"
                  onClick={() => openLog(row.id)}
                  className={cx(
                    "cursor-pointer hover:bg-zinc-50",
                    openId === row.id && "bg-brand-50/60",
                  )}
                  style={
                    tailIds.has(row.id) ? { animation: "sy-log-arrive 2.5s ease-out" } : undefined
                  }
                >
                  <TD>
                    <button
                      type="button"
                      className="rounded text-left text-zinc-800 tabular-nums hover:underline"
                      aria-label={`Open request ${row.id}`}
                      onClick={(e) => {
                        e.stopPropagation();
                        openLog(row.id);
                      }}
                    >
                      <LogTime value={row.createdAt} />
                    </button>
                  </TD>
                  <TD className="max-w-36 truncate">
                    {row.keyName ?? <span className="text-zinc-400">—</span>}
                  </TD>
                  <TD className="max-w-80">
                    <ModelCell row={row} />
                    <span className="block truncate text-xs text-zinc-500">
                      {row.providerId ?? "no provider"}
                      {row.stream ? " · stream" : ""}
                      {row.endpoint !== "chat.completions" ? ` · ${row.endpoint}` : ""}
                    </span>
                  </TD>
                  <TD>
                    <StatusBadge status={row.status} errorCode={row.errorCode} />{" "}
                    <GuardrailBadge action={row.guardrailAction} />
                  </TD>
                  <TD className="text-right tabular-nums">
                    {formatMs(row.latencyMs)}
                    <span className="block text-xs text-zinc-500">
                      {row.ttftMs === null ? "—" : formatMs(row.ttftMs)}
                    </span>
                  </TD>
                  <TD className="text-right tabular-nums">
                    {row.promptTokens === null && row.completionTokens === null ? (
                      <span className="text-zinc-400">—</span>
                    ) : (
                      <>
                        {formatTokens(row.promptTokens)} <span className="text-zinc-400">/</span>{" "}
                        {formatTokens(row.completionTokens)}
                      </>
                    )}
                  </TD>
                  <TD className="text-right">
                    <CostCell costMicros={row.costMicros} unpriced={row.unpriced} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <nav
            aria-label="Log pages"
            className="mt-4 flex items-center justify-between gap-3 text-sm text-zinc-600"
          >
            <span className="flex items-center gap-2">
              Page {page + 1}
              {tailing ? <span className="text-emerald-700">· following new requests</span> : null}
              {logs.isFetching || polling ? <Spinner className="size-3.5" /> : null}
            </span>
            <div className="flex gap-2">
              <Button
                variant="secondary"
                size="sm"
                icon={<ChevronLeftIcon />}
                disabled={page === 0}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                Newer
              </Button>
              <Button
                variant="secondary"
                size="sm"
                disabled={!logs.data.nextCursor || logs.isPlaceholderData}
                onClick={() => {
                  const next = logs.data.nextCursor;
                  if (next) {
                    setLive(false);
                    setCursors([...cursors, next]);
                  }
                }}
              >
                Older
                <ChevronRightIcon />
              </Button>
            </div>
          </nav>
        </>
      )}
      <p className="mt-6 text-xs text-zinc-500">
        Costs use your{" "}
        <Link
          href={`/orgs/${org.slug}/logs/settings#prices`}
          className="font-medium text-brand-700 hover:underline"
        >
          custom prices
        </Link>{" "}
        first, then the bundled price catalog; a model with no known price shows as unpriced.
      </p>
      <LogDetailDrawer id={openId} onClose={() => openLog(null)} />
    </>
  );
}
