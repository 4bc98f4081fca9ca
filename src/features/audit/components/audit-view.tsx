"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Fragment, useEffect, useState } from "react";
import { Alert } from "~/components/alert";
import { Badge } from "~/components/badge";
import { Button } from "~/components/button";
import { EmptyState } from "~/components/empty-state";
import { ChevronLeftIcon, ChevronRightIcon, ScrollIcon } from "~/components/icons";
import { Field, Input } from "~/components/input";
import { PageHeader } from "~/components/page-header";
import { Select } from "~/components/select";
import { LoadingBlock, Spinner } from "~/components/spinner";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { Time } from "~/components/time";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

const PAGE_SIZE = 25;

interface Filters {
  action: string;
  actor: string;
  since: string;
  until: string;
}
const NO_FILTERS: Filters = { action: "", actor: "", since: "", until: "" };

/** Waits for typing to pause before filtering on it. */
function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function ChangesView({ changes }: { changes: unknown }) {
  return (
    <pre className="overflow-x-auto rounded-md bg-zinc-50 p-3 font-mono text-xs whitespace-pre-wrap text-zinc-700">
      {JSON.stringify(changes, null, 2)}
    </pre>
  );
}

export function AuditView() {
  const org = useOrg();
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const actor = useDebounced(filters.actor.trim(), 300);
  // Cursors of the pages visited so far (index 0: the first page, no cursor), for one set of
  // filters: changing a filter starts again from the first page.
  const filterKey = JSON.stringify([filters.action, actor, filters.since, filters.until]);
  const [paging, setPaging] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: filterKey,
    cursors: [undefined],
  });
  const cursors = paging.key === filterKey ? paging.cursors : [undefined];
  const setCursors = (next: (string | undefined)[]) => setPaging({ key: filterKey, cursors: next });
  const [expanded, setExpanded] = useState<string | null>(null);
  const page = cursors.length - 1;

  const allowed = org.can("audit:read");
  const actions = useQuery(
    trpc.audit.actions.queryOptions({ orgSlug: org.slug }, { enabled: allowed }),
  );
  const events = useQuery(
    trpc.audit.list.queryOptions(
      {
        orgSlug: org.slug,
        action: filters.action || undefined,
        actor: actor || undefined,
        since: filters.since ? new Date(`${filters.since}T00:00:00`) : undefined,
        until: filters.until ? new Date(`${filters.until}T23:59:59.999`) : undefined,
        cursor: cursors[page],
        limit: PAGE_SIZE,
      },
      { placeholderData: keepPreviousData, enabled: allowed },
    ),
  );

  const filtered = Object.values(filters).some(Boolean);
  if (!allowed) {
    return (
      <>
        <PageHeader title="Audit log" />
        <Alert tone="info">
          Your role ({org.role}) cannot read the audit log of this organization.
        </Alert>
      </>
    );
  }
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));
  const dateError =
    filters.since && filters.until && filters.since > filters.until
      ? "The start date is after the end date."
      : null;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who changed what in this organization: members, invites, keys and settings."
      />
      <form
        role="search"
        aria-label="Filter audit events"
        onSubmit={(e) => e.preventDefault()}
        className="mb-4 grid gap-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-[1fr_1fr_auto_auto_auto] lg:items-end"
      >
        <Field label="Action">
          {(control) => (
            <Select
              {...control}
              value={filters.action}
              onChange={(e) => set({ action: e.target.value })}
            >
              <option value="">All actions</option>
              {(actions.data ?? []).map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Actor">
          {(control) => (
            <Input
              {...control}
              type="search"
              placeholder="Email or “cli”"
              value={filters.actor}
              onChange={(e) => set({ actor: e.target.value })}
            />
          )}
        </Field>
        <Field label="From">
          {(control) => (
            <Input
              {...control}
              type="date"
              value={filters.since}
              max={filters.until || undefined}
              onChange={(e) => set({ since: e.target.value })}
            />
          )}
        </Field>
        <Field label="To">
          {(control) => (
            <Input
              {...control}
              type="date"
              value={filters.until}
              min={filters.since || undefined}
              onChange={(e) => set({ until: e.target.value })}
            />
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
      </form>
      {dateError ? (
        <Alert tone="warning" className="mb-4">
          {dateError}
        </Alert>
      ) : null}

      {events.isPending ? (
        <LoadingBlock label="Loading audit events…" />
      ) : events.isError ? (
        <Alert tone="danger">{errorMessage(events.error)}</Alert>
      ) : events.data.items.length === 0 && page === 0 ? (
        filtered ? (
          <EmptyState
            icon={<ScrollIcon className="size-5" />}
            title="No events match these filters"
            description="Try a wider date range or another action."
            action={
              <Button variant="secondary" onClick={() => setFilters(NO_FILTERS)}>
                Clear filters
              </Button>
            }
          />
        ) : (
          <EmptyState
            icon={<ScrollIcon className="size-5" />}
            title="No activity yet"
            description="Changes to members, invites, API keys and settings are recorded here as they happen."
          />
        )
      ) : (
        <>
          <Table label="Audit events">
            <THead>
              <TR>
                <TH>Time</TH>
                <TH>Actor</TH>
                <TH>Action</TH>
                <TH>Summary</TH>
                <TH>Target</TH>
                <TH>
                  <span className="sr-only">Details</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {events.data.items.map((event) => {
                const hasChanges =
                  event.changes !== null &&
                  event.changes !== undefined &&
                  !(typeof event.changes === "object" && Object.keys(event.changes).length === 0);
                const open = expanded === event.id;
                return (
                  <Fragment key={event.id}>
                    <TR data-testid="audit-row">
                      <TD>
                        <Time value={event.createdAt} mode="datetime" />
                      </TD>
                      <TD className="max-w-56">
                        <div className="flex items-center gap-2">
                          <span className="truncate">{event.actorLabel}</span>
                          {event.actorType !== "user" ? (
                            <Badge className="uppercase">{event.actorType}</Badge>
                          ) : null}
                        </div>
                      </TD>
                      <TD>
                        <code className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-800">
                          {event.action}
                        </code>
                      </TD>
                      <TD wrap className="min-w-64 text-zinc-800">
                        {event.summary}
                      </TD>
                      <TD className="text-zinc-500">
                        {event.targetType ? (
                          <span title={event.targetId ?? undefined}>
                            {event.targetType}
                            {event.targetId ? (
                              <code className="ml-1.5 inline-block max-w-28 truncate align-bottom text-xs text-zinc-400">
                                {event.targetId}
                              </code>
                            ) : null}
                          </span>
                        ) : (
                          "—"
                        )}
                      </TD>
                      <TD className="text-right">
                        {hasChanges ? (
                          <Button
                            variant="ghost"
                            size="sm"
                            aria-expanded={open}
                            aria-controls={`changes-${event.id}`}
                            onClick={() => setExpanded(open ? null : event.id)}
                          >
                            {open ? "Hide" : "Changes"}
                          </Button>
                        ) : null}
                      </TD>
                    </TR>
                    {open ? (
                      <TR id={`changes-${event.id}`} className="bg-zinc-50/60">
                        <TD colSpan={6} wrap>
                          <ChangesView changes={event.changes} />
                        </TD>
                      </TR>
                    ) : null}
                  </Fragment>
                );
              })}
            </TBody>
          </Table>
          <nav
            aria-label="Audit log pages"
            className="mt-4 flex items-center justify-between gap-3 text-sm text-zinc-600"
          >
            <span className="flex items-center gap-2">
              Page {page + 1}
              {events.isFetching ? <Spinner className="size-3.5" /> : null}
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
                disabled={!events.data.nextCursor || events.isPlaceholderData}
                onClick={() => {
                  const next = events.data.nextCursor;
                  if (next) setCursors([...cursors, next]);
                }}
              >
                Older
                <ChevronRightIcon />
              </Button>
            </div>
          </nav>
        </>
      )}
    </>
  );
}
