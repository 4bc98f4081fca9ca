"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "~/components/alert";
import { Badge, type BadgeTone } from "~/components/badge";
import { Button } from "~/components/button";
import { Card } from "~/components/card";
import { EmptyState } from "~/components/empty-state";
import { PageHeader } from "~/components/page-header";
import { LoadingBlock, Spinner } from "~/components/spinner";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { Time } from "~/components/time";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { SECURITY_RANGES, type SecurityOutcome, type SecurityRange } from "../schemas";
import { SecurityChart } from "./security-chart";
import { SecurityIcon } from "./security-icon";

const RANGE_LABELS: Record<SecurityRange, string> = { "24h": "24 hours", "7d": "7 days", "30d": "30 days" };
const OUTCOME_TONES: Record<SecurityOutcome, BadgeTone> = {
  blocked: "danger",
  flagged: "warning",
  denied: "brand",
};
const count = new Intl.NumberFormat("en-US");

function Stat({ label, value, hint, testId }: { label: string; value: number; hint: string; testId: string }) {
  return (
    <div data-testid={testId} className="rounded-lg border border-zinc-200 bg-white px-4 py-3 shadow-sm">
      <dt className="text-xs font-medium text-zinc-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-zinc-900 tabular-nums">{count.format(value)}</dd>
      <dd className="mt-0.5 text-xs text-zinc-500">{hint}</dd>
    </div>
  );
}

/** Blocked, flagged and denied requests of the org: over time, by rule, and the latest ones. */
export function SecurityView() {
  const org = useOrg();
  const trpc = useTRPC();
  const [range, setRange] = useState<SecurityRange>("7d");
  const allowed = org.can("security:read");
  const overview = useQuery(
    trpc.security.overview.queryOptions(
      { orgSlug: org.slug, range },
      { enabled: allowed, placeholderData: keepPreviousData, refetchInterval: 30_000 },
    ),
  );

  if (!allowed) {
    return (
      <>
        <PageHeader title="Security" />
        <Alert tone="info">
          Only owners and admins see the security view (your role: {org.role}).
        </Alert>
      </>
    );
  }

  const data = overview.data;
  const events = data ? data.totals.blocked + data.totals.flagged + data.totals.denied : 0;

  return (
    <>
      <PageHeader
        title="Security"
        description="Requests that guardrail policies blocked or flagged, and that the gateway denied (key permissions, private upstream addresses), read from the request log."
        actions={
          <div className="flex items-center gap-2">
            <div role="group" aria-label="Range" className="inline-flex rounded-md border border-zinc-200 bg-white p-0.5">
              {SECURITY_RANGES.map((r) => (
                <button
                  key={r}
                  type="button"
                  aria-pressed={r === range}
                  onClick={() => setRange(r)}
                  className={
                    r === range
                      ? "rounded px-2.5 py-1 text-xs font-medium bg-zinc-900 text-white"
                      : "rounded px-2.5 py-1 text-xs font-medium text-zinc-600 hover:bg-zinc-100"
                  }
                >
                  {RANGE_LABELS[r]}
                </button>
              ))}
            </div>
            <Button
              variant="ghost"
              onClick={() => void overview.refetch()}
              icon={overview.isFetching ? <Spinner className="size-3.5" /> : undefined}
            >
              Refresh
            </Button>
          </div>
        }
      />

      {overview.isPending ? (
        <LoadingBlock label="Reading the request log…" />
      ) : overview.isError ? (
        <Alert tone="danger">{errorMessage(overview.error)}</Alert>
      ) : (
        <div className="space-y-5">
          <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <Stat testId="stat-requests" label="Requests" value={data!.totals.requests} hint={`Last ${RANGE_LABELS[range]}`} />
            <Stat testId="stat-blocked" label="Blocked" value={data!.totals.blocked} hint="Refused by a guardrail policy" />
            <Stat testId="stat-flagged" label="Flagged" value={data!.totals.flagged} hint="Flagged, masked, redacted or rerouted" />
            <Stat testId="stat-denied" label="Denied" value={data!.totals.denied} hint="Key permissions, private upstreams" />
          </dl>

          {events === 0 ? (
            <EmptyState
              icon={<SecurityIcon className="size-5" />}
              title={`Nothing blocked, flagged or denied in the last ${RANGE_LABELS[range]}`}
              description="Add guardrail policies to block or flag prompts with secrets, personal data or injection attempts, and limit API keys to the endpoints and models they need: what they catch shows up here."
            />
          ) : (
            <>
              <Card
                title="Over time"
                description={`Per ${data!.bucket === "hour" ? "hour" : "UTC day"}, stacked by outcome.`}
              >
                <SecurityChart series={data!.series} bucket={data!.bucket} />
              </Card>

              <Card title="By rule" description="Which policy rule or refusal caught requests, most frequent first.">
                <div className="-mx-5 -my-4">
                  <Table bare>
                    <THead>
                      <TR>
                        <TH>Rule</TH>
                        <TH>Finding</TH>
                        <TH>Outcome</TH>
                        <TH className="text-right">Requests</TH>
                        <TH>Last seen</TH>
                      </TR>
                    </THead>
                    <TBody>
                      {data!.rules.map((rule) => (
                        <TR key={`${rule.kind}:${rule.name}:${rule.detail}:${rule.action}`} data-testid="security-rule-row">
                          <TD wrap className="max-w-72">
                            <div className="font-medium text-zinc-900">{rule.name}</div>
                            <div className="text-xs text-zinc-500">
                              {rule.kind === "guardrail" ? "Guardrail policy" : "Gateway access check"}
                            </div>
                          </TD>
                          <TD wrap className="max-w-64">
                            <code className="text-xs text-zinc-700">{rule.detail}</code>
                          </TD>
                          <TD>
                            <Badge tone={OUTCOME_TONES[rule.outcome]}>
                              {rule.outcome} · {rule.action}
                            </Badge>
                          </TD>
                          <TD className="text-right font-mono tabular-nums">{count.format(rule.count)}</TD>
                          <TD>
                            <Time value={rule.lastAt} />
                          </TD>
                        </TR>
                      ))}
                    </TBody>
                  </Table>
                </div>
              </Card>

              <Card title="Latest events" description="The 20 most recent requests that were blocked, flagged or denied.">
                <div className="-mx-5 -my-4">
                  <Table bare>
                    <THead>
                      <TR>
                        <TH>When</TH>
                        <TH>Outcome</TH>
                        <TH>Status</TH>
                        <TH>Code</TH>
                        <TH>Endpoint</TH>
                        <TH>Model</TH>
                        <TH>Request</TH>
                      </TR>
                    </THead>
                    <TBody>
                      {data!.recent.map((e) => (
                        <TR key={e.id} data-testid="security-event-row">
                          <TD>
                            <Time value={e.at} />
                          </TD>
                          <TD>
                            <Badge tone={OUTCOME_TONES[e.outcome]}>{e.outcome}</Badge>
                          </TD>
                          <TD className="font-mono tabular-nums">{e.status}</TD>
                          <TD>
                            <code className="text-xs">{e.code ?? "—"}</code>
                          </TD>
                          <TD>{e.endpoint}</TD>
                          <TD>{e.model ?? "—"}</TD>
                          <TD>
                            <a
                              href={`/orgs/${org.slug}/logs/${encodeURIComponent(e.id)}`}
                              className="font-mono text-xs text-brand-700 hover:underline"
                            >
                              {e.id.slice(0, 16)}…
                            </a>
                          </TD>
                        </TR>
                      ))}
                    </TBody>
                  </Table>
                </div>
              </Card>
            </>
          )}
        </div>
      )}
    </>
  );
}
