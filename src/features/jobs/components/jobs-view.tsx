"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "~/components/alert";
import { Badge } from "~/components/badge";
import { Button } from "~/components/button";
import { Card } from "~/components/card";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { Select } from "~/components/select";
import { LoadingBlock, Spinner } from "~/components/spinner";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { Time } from "~/components/time";
import { useToast } from "~/components/toast";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import {
  formatDuration,
  JOB_RUN_STATUSES,
  STATUS_TONE,
  type JobRunStatus,
} from "../job-run-format";
import { JobsIcon } from "./jobs-icon";

/** While anything is queued or running the page refreshes on its own. */
const LIVE_INTERVAL_MS = 2_000;

function StatusBadge({ status }: { status: JobRunStatus }) {
  return (
    <Badge tone={STATUS_TONE[status]} className="gap-1.5 capitalize">
      {status === "running" ? <Spinner className="size-3" /> : null}
      {status}
    </Badge>
  );
}

function SchedulesCard({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const schedules = useQuery(
    trpc.jobs.schedules.queryOptions(
      { orgSlug },
      {
        refetchInterval: (query) =>
          query.state.data?.some(
            (s) => s.lastRun?.status === "queued" || s.lastRun?.status === "running",
          )
            ? LIVE_INTERVAL_MS
            : false,
      },
    ),
  );
  const runNow = useMutation(
    trpc.jobs.runNow.mutationOptions({
      onSuccess: async (run) => {
        toast.success(`${run.jobName} queued.`);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.jobs.runs.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.jobs.schedules.pathKey() }),
        ]);
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  return (
    <Card
      title="Schedules"
      description="Instance-wide jobs that run on a schedule (UTC). Run one now to do its work outside the schedule."
      className="mb-6"
    >
      {schedules.isPending ? (
        <LoadingBlock label="Loading schedules…" />
      ) : schedules.isError ? (
        <div className="p-5">
          <Alert tone="danger">{errorMessage(schedules.error)}</Alert>
        </div>
      ) : schedules.data.length === 0 ? (
        <p className="px-5 py-6 text-sm text-zinc-600">No scheduled jobs on this instance.</p>
      ) : (
        <Table label="Scheduled jobs" bare>
          <THead>
            <TR>
              <TH>Job</TH>
              <TH>Schedule</TH>
              <TH>Next run</TH>
              <TH>Last run</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {schedules.data.map((s) => (
              <TR key={s.jobId} data-testid="schedule-row">
                <TD wrap>
                  <div className="font-medium text-zinc-900">{s.name}</div>
                  <code className="text-xs text-zinc-500">{s.jobId}</code>
                </TD>
                <TD>
                  <code className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-800">
                    {s.cron}
                  </code>
                </TD>
                <TD>
                  <Time value={s.nextRunAt} mode="datetime" />
                </TD>
                <TD>
                  {s.lastRun ? (
                    <div className="flex items-center gap-2">
                      <StatusBadge status={s.lastRun.status} />
                      <span className="text-zinc-500">
                        <Time value={s.lastRun.createdAt} />
                      </span>
                    </div>
                  ) : (
                    <span className="text-zinc-400">Never</span>
                  )}
                </TD>
                <TD className="text-right">
                  <Button
                    variant="secondary"
                    size="sm"
                    loading={runNow.isPending && runNow.variables?.jobId === s.jobId}
                    disabled={s.lastRun?.status === "queued" || s.lastRun?.status === "running"}
                    onClick={() => runNow.mutate({ orgSlug, jobId: s.jobId })}
                  >
                    Run now
                  </Button>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

export function JobsView() {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [status, setStatus] = useState<JobRunStatus | "">("");
  const allowed = org.can("jobs:read");
  const canRun = org.can("jobs:run");
  const runs = useQuery(
    trpc.jobs.runs.queryOptions(
      { orgSlug: org.slug, status: status || undefined, limit: 100 },
      {
        enabled: allowed,
        placeholderData: keepPreviousData,
        refetchInterval: (query) =>
          query.state.data?.runs.some((r) => r.status === "queued" || r.status === "running")
            ? LIVE_INTERVAL_MS
            : false,
      },
    ),
  );
  const retry = useMutation(
    trpc.jobs.retry.mutationOptions({
      onSuccess: async () => {
        toast.success("Run queued again.");
        await queryClient.invalidateQueries({ queryKey: trpc.jobs.runs.pathKey() });
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );

  if (!allowed) {
    return (
      <>
        <PageHeader title="Jobs" />
        <Alert tone="info">Your role ({org.role}) cannot see this organization&apos;s jobs.</Alert>
      </>
    );
  }
  const live = runs.data?.runs.some((r) => r.status === "queued" || r.status === "running");

  return (
    <>
      <PageHeader
        title="Jobs"
        description="Background work: file ingestion, maintenance and scheduled jobs. Failed runs can be retried; completed steps are not repeated."
        actions={
          <div className="flex items-center gap-3">
            {live ? (
              <span className="flex items-center gap-1.5 text-sm text-sky-700" role="status">
                <span className="relative flex size-2">
                  <span className="absolute inline-flex size-full animate-ping rounded-full bg-sky-400 opacity-75" />
                  <span className="relative inline-flex size-2 rounded-full bg-sky-500" />
                </span>
                Live
              </span>
            ) : null}
            <label className="sr-only" htmlFor="job-status-filter">
              Status
            </label>
            <Select
              id="job-status-filter"
              value={status}
              onChange={(e) => setStatus(e.target.value as JobRunStatus | "")}
            >
              <option value="">All statuses</option>
              {JOB_RUN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s[0]!.toUpperCase() + s.slice(1)}
                </option>
              ))}
            </Select>
          </div>
        }
      />
      {runs.data?.driver === "inngest" ? (
        <Alert tone="info" className="mb-6">
          Jobs run on Inngest on this instance: their runs, retries and schedules are in the Inngest
          dashboard. Runs listed here were recorded by the local driver.
        </Alert>
      ) : null}
      {canRun ? <SchedulesCard orgSlug={org.slug} /> : null}

      <h2 className="mb-3 text-sm font-semibold text-zinc-900">Runs</h2>
      {runs.isPending ? (
        <LoadingBlock label="Loading runs…" />
      ) : runs.isError ? (
        <Alert tone="danger">{errorMessage(runs.error)}</Alert>
      ) : runs.data.runs.length === 0 ? (
        status ? (
          <EmptyState
            icon={<JobsIcon className="size-5" />}
            title={`No ${status} runs`}
            description="Nothing matches this status right now."
            action={
              <Button variant="secondary" onClick={() => setStatus("")}>
                Show all runs
              </Button>
            }
          />
        ) : (
          <EmptyState
            icon={<JobsIcon className="size-5" />}
            title="No job runs yet"
            description={
              canRun
                ? "Runs appear here when files are ingested into a knowledge base or a scheduled job runs. Use “Run now” above to start one."
                : "Runs appear here when files are ingested into a knowledge base or scheduled maintenance runs."
            }
          />
        )
      ) : (
        <Table label="Job runs">
          <THead>
            <TR>
              <TH>Job</TH>
              <TH>Status</TH>
              <TH>Tries</TH>
              <TH>Started</TH>
              <TH>Duration</TH>
              <TH>Error</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {runs.data.runs.map((run) => (
              <TR key={run.id} data-testid="job-run-row">
                <TD wrap className="min-w-44">
                  <div className="flex items-center gap-2">
                    <span className="font-medium text-zinc-900">{run.jobName}</span>
                    {run.instance ? <Badge tone="brand">Instance</Badge> : null}
                  </div>
                  <div className="text-xs text-zinc-500">
                    <span className="capitalize">{run.trigger}</span> ·{" "}
                    <Time value={run.createdAt} />
                  </div>
                </TD>
                <TD>
                  <StatusBadge status={run.status} />
                  {run.status === "queued" && run.attempts > 0 ? (
                    <div className="mt-1 text-xs text-zinc-500">
                      retry <Time value={run.nextAttemptAt} />
                    </div>
                  ) : null}
                </TD>
                <TD className="tabular-nums">
                  {run.attempts} / {run.maxAttempts}
                </TD>
                <TD>
                  <Time value={run.startedAt} mode="datetime" empty="Not yet" />
                </TD>
                <TD className="tabular-nums">{formatDuration(run.durationMs)}</TD>
                <TD wrap className="max-w-xs min-w-40">
                  {run.error ? (
                    <span className="line-clamp-2 text-red-700" title={run.error}>
                      {run.error}
                    </span>
                  ) : (
                    <span className="text-zinc-400">—</span>
                  )}
                </TD>
                <TD className="text-right">
                  {canRun &&
                  !run.instance &&
                  (run.status === "failed" || run.status === "cancelled") ? (
                    <Button
                      variant="secondary"
                      size="sm"
                      loading={retry.isPending && retry.variables?.runId === run.id}
                      onClick={() => retry.mutate({ orgSlug: org.slug, runId: run.id })}
                    >
                      Retry
                    </Button>
                  ) : null}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </>
  );
}
