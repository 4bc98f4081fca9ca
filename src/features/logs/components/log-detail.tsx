"use client";

import { GuardrailHits } from "./guardrail-hits";
import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "~/components/alert";
import { Badge } from "~/components/badge";
import { CopyButton } from "~/components/copy-button";
import { Time } from "~/components/time";
import { CostCell, StatusBadge } from "./log-badges";
import { formatTokens, prettyBody } from "./log-format";
import type { LogDetailData } from "./log-types";
import { TimingBar } from "./timing-bar";

function Section({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="space-y-2">
      <div className="flex items-center justify-between gap-2">
        <h3 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{title}</h3>
        {actions}
      </div>
      {children}
    </section>
  );
}

function Fact({ label, note, children }: { label: string; note?: ReactNode; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="mt-0.5 text-sm break-words text-zinc-900">
        {children}
        {note ? <span className="block text-xs text-zinc-500">{note}</span> : null}
      </dd>
    </div>
  );
}

function Body({
  title,
  text,
  truncated,
  storedNote,
}: {
  title: string;
  text: string | null;
  truncated: boolean;
  storedNote: ReactNode;
}) {
  const body = text === null ? null : prettyBody(text);
  return (
    <Section
      title={title}
      actions={
        body ? (
          <div className="flex items-center gap-2">
            {truncated ? <Badge tone="warning">truncated</Badge> : null}
            <CopyButton value={text!} label="Copy" variant="ghost" />
          </div>
        ) : null
      }
    >
      {body ? (
        <pre className="max-h-96 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap break-all text-zinc-100">
          {body.text}
        </pre>
      ) : (
        <p className="rounded-md border border-dashed border-zinc-300 px-3 py-2.5 text-sm text-zinc-500">{storedNote}</p>
      )}
    </Section>
  );
}

/** Everything recorded about one request: summary, timing, tokens and cost, bodies. */
export function LogDetail({ log, orgSlug }: { log: LogDetailData; orgSlug: string }) {
  const model = log.servedModel ?? log.requestedModel ?? "—";
  const rerouted = log.requestedModel && log.servedModel && log.requestedModel !== log.servedModel;
  const prompt = log.promptTokens;
  const completion = log.completionTokens;
  const notStored = (
    <>
      No body recorded: there was none, or{" "}
      <Link href={`/orgs/${orgSlug}/logs/settings`} className="font-medium text-brand-700 hover:underline">
        storing bodies
      </Link>{" "}
      was off.
    </>
  );
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge status={log.status} errorCode={log.errorCode} />
        <span className="font-mono text-sm text-zinc-900">{log.requestedModel ?? "—"}</span>
        {rerouted ? (
          <>
            <span className="text-zinc-400" aria-label="served as">
              →
            </span>
            <span className="font-mono text-sm text-zinc-900">{log.servedModel}</span>
          </>
        ) : null}
        {log.stream ? <Badge tone="info">stream</Badge> : null}
        <Badge>{log.endpoint}</Badge>
      </div>

      {log.status >= 400 ? (
        <Alert tone={log.status >= 500 ? "danger" : "warning"} title={log.errorCode ?? `HTTP ${log.status}`}>
          {log.errorMessage ?? "No error message was recorded."}
        </Alert>
      ) : null}

      <dl className="grid grid-cols-2 gap-x-6 gap-y-4 sm:grid-cols-3">
        <Fact label="Started">
          <Time value={log.startedAt} mode="datetime" />
        </Fact>
        <Fact label="API key">
          {log.keyName ? (
            <span title={`${log.keyPrefix}…${log.keyLast4}`}>{log.keyName}</span>
          ) : (
            <span className="text-zinc-400">{log.apiKeyId ? "deleted key" : "—"}</span>
          )}
        </Fact>
        <Fact label="Provider">
          {log.providerId ? (
            <span>
              {log.providerId}
              {log.providerType && log.providerType !== log.providerId ? (
                <span className="text-zinc-500"> ({log.providerType})</span>
              ) : null}
            </span>
          ) : (
            "—"
          )}
        </Fact>
        <Fact label="Model served">
          <span className="font-mono break-all">{model}</span>
        </Fact>
        <Fact label="End user">{log.endUser ?? <span className="text-zinc-400">—</span>}</Fact>
        <Fact label="Finish reason">{log.finishReason ?? <span className="text-zinc-400">—</span>}</Fact>
      </dl>

      <Section title="Timing">
        <TimingBar
          latencyMs={log.latencyMs}
          upstreamMs={log.upstreamMs}
          ttftMs={log.ttftMs}
          reachedProvider={log.providerId !== null}
        />
      </Section>

      <Section title="Tokens and cost">
        <dl className="grid grid-cols-2 gap-3 rounded-md border border-zinc-200 p-3 sm:grid-cols-4">
          <Fact label="Input" note={log.cachedTokens ? `${formatTokens(log.cachedTokens)} cached` : null}>
            {formatTokens(prompt)}
          </Fact>
          <Fact label="Output" note={log.reasoningTokens ? `${formatTokens(log.reasoningTokens)} reasoning` : null}>
            {formatTokens(completion)}
          </Fact>
          <Fact label="Total">{prompt === null && completion === null ? "—" : formatTokens((prompt ?? 0) + (completion ?? 0))}</Fact>
          <Fact label="Cost">
            <CostCell costMicros={log.costMicros} unpriced={log.unpriced} />
          </Fact>
        </dl>
        {log.unpriced ? (
          <p className="text-xs text-zinc-500">
            No price is known for <code className="text-zinc-700">{model}</code>.{" "}
            <Link
              href={`/orgs/${orgSlug}/logs/settings?model=${encodeURIComponent(model)}#prices`}
              className="font-medium text-brand-700 hover:underline"
            >
              Add a custom price
            </Link>{" "}
            to cost future requests.
          </p>
        ) : null}
      </Section>

      {log.routeName && log.attempts && log.attempts.length > 0 ? (
        <Section title={`Route ${log.routeName}: ${log.attempts.length} attempt${log.attempts.length === 1 ? "" : "s"}`}>
          <ol className="divide-y divide-zinc-100 rounded-md border border-zinc-200 text-sm">
            {log.attempts.map((a, i) => (
              <li key={i} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2">
                <span className="w-5 text-xs text-zinc-400">{i + 1}</span>
                <span className="min-w-0 flex-1 truncate font-mono text-zinc-900">
                  {a.providerId}/{a.model}
                </span>
                <span
                  className={
                    a.outcome === "ok"
                      ? "rounded-full bg-emerald-50 px-2 py-0.5 text-xs text-emerald-700"
                      : a.outcome.startsWith("skipped")
                        ? "rounded-full bg-zinc-100 px-2 py-0.5 text-xs text-zinc-600"
                        : "rounded-full bg-red-50 px-2 py-0.5 text-xs text-red-700"
                  }
                >
                  {a.outcome}
                </span>
                <span className="font-mono text-xs text-zinc-500">
                  {a.status ?? "—"}
                  {a.errorCode ? ` · ${a.errorCode}` : ""}
                </span>
                <span className="w-16 text-right text-xs text-zinc-500 tabular-nums">{a.latencyMs} ms</span>
              </li>
            ))}
          </ol>
        </Section>
      ) : null}

      {log.guardrailHits && log.guardrailHits.length > 0 ? (
        <Section title={`Guardrails: ${log.guardrailHits.length} hit${log.guardrailHits.length === 1 ? "" : "s"}`}>
          <GuardrailHits hits={log.guardrailHits} />
        </Section>
      ) : null}

      {log.metadata && Object.keys(log.metadata).length > 0 ? (
        <Section title="Metadata">
          <dl className="grid grid-cols-2 gap-2 text-sm">
            {Object.entries(log.metadata).map(([k, v]) => (
              <div key={k} className="flex min-w-0 gap-2">
                <dt className="shrink-0 font-mono text-zinc-500">{k}</dt>
                <dd className="truncate font-mono text-zinc-900">{v}</dd>
              </div>
            ))}
          </dl>
        </Section>
      ) : null}

      <Body title="Request" text={log.requestBody} truncated={log.requestBodyTruncated} storedNote={notStored} />
      <Body title="Response" text={log.responseBody} truncated={log.responseBodyTruncated} storedNote={notStored} />

      <p className="flex flex-wrap items-center gap-2 text-xs text-zinc-500">
        Request id <code className="font-mono text-zinc-700">{log.id}</code>
        <CopyButton value={log.id} label="Copy id" variant="ghost" />
        {log.clientRequestId ? (
          <>
            <span aria-hidden>·</span> Client&apos;s x-request-id{" "}
            <code className="font-mono text-zinc-700">{log.clientRequestId}</code>
          </>
        ) : null}
      </p>
    </div>
  );
}
