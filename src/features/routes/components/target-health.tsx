"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge, type BadgeTone } from "~/components/badge";
import { Card } from "~/components/card";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { TargetBreakerView } from "../server/list-route-breakers";

/** How often the breaker states are read again. */
export const BREAKER_POLL_MS = 3_000;

const STATE: Record<TargetBreakerView["state"], { label: string; tone: BadgeTone; dot: string }> = {
  closed: { label: "closed", tone: "success", dot: "bg-emerald-500" },
  "half-open": { label: "half-open", tone: "warning", dot: "bg-amber-500" },
  open: { label: "open", tone: "danger", dot: "bg-red-500" },
  unresolved: { label: "no provider", tone: "neutral", dot: "bg-zinc-400" },
};

function seconds(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return s < 90 ? `${s}s` : `${Math.round(s / 60)} min`;
}

function TargetLine({ target, now }: { target: TargetBreakerView; now: number }) {
  const state = STATE[target.state];
  const detail =
    target.state === "unresolved"
      ? "No provider of this organization offers this model; skipped."
      : target.state === "open"
        ? `${target.failures} failure${target.failures === 1 ? "" : "s"} · next probe in ${seconds((target.nextProbeAt ?? now) - now)}`
        : target.state === "half-open"
          ? `${target.failures} failure${target.failures === 1 ? "" : "s"} · probing now`
          : target.failures > 0
            ? `${target.failures} recent failure${target.failures === 1 ? "" : "s"}`
            : null;
  return (
    <li
      className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-0.5 py-1.5"
      data-testid="breaker-target"
      data-state={target.state}
    >
      <span aria-hidden="true" className={`size-2 shrink-0 rounded-full ${state.dot}`} />
      <code className="min-w-0 truncate font-mono text-xs text-zinc-800" title={target.target}>
        {target.target}
      </code>
      <Badge tone={state.tone}>{state.label}</Badge>
      {detail ? <span className="w-full pl-4 text-xs text-zinc-500">{detail}</span> : null}
    </li>
  );
}

/**
 * Live circuit-breaker state of every route target, as this server's gateway sees it: closed
 * (passing), open (skipped until the next probe), half-open (one probe request in flight).
 */
export function TargetHealth({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const breakers = useQuery({
    ...trpc.routes.breakers.queryOptions({ orgSlug }),
    refetchInterval: BREAKER_POLL_MS,
  });
  return (
    <Card
      title="Target health"
      description={`Circuit breakers on this server, every ${BREAKER_POLL_MS / 1000} s.`}
      actions={
        <span className="flex items-center gap-1.5 text-xs text-zinc-500">
          <span aria-hidden="true" className="size-1.5 animate-pulse rounded-full bg-emerald-500" />
          Live
        </span>
      }
    >
      {breakers.isPending ? (
        <p className="text-sm text-zinc-500">Reading breaker states…</p>
      ) : breakers.isError ? (
        <p className="text-sm text-red-700">{errorMessage(breakers.error)}</p>
      ) : breakers.data.routes.length === 0 ? (
        <p className="text-sm text-zinc-600">No enabled routes: nothing to watch yet.</p>
      ) : (
        <ul className="divide-y divide-zinc-100" data-testid="target-health">
          {breakers.data.routes.map((route) => (
            <li key={route.name} className="py-2 first:pt-0 last:pb-0" data-route={route.name}>
              <p className="font-mono text-sm font-medium text-zinc-900">{route.name}</p>
              <ul>
                {route.targets.map((target, i) => (
                  <TargetLine key={i} target={target} now={breakers.data.now} />
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
