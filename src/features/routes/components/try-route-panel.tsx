"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Badge, type BadgeTone } from "~/components/badge";
import { Button } from "~/components/button";
import { Card } from "~/components/card";
import { Field, Textarea } from "~/components/input";
import { Select } from "~/components/select";
import type { AttemptOutcome } from "~/gateway/routing/attempt-record";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { ROUTE_LIMITS } from "../schemas";

const OUTCOME_TONE: Record<AttemptOutcome, BadgeTone> = {
  ok: "success",
  error: "danger",
  "skipped-open": "warning",
  "skipped-unknown": "neutral",
  aborted: "neutral",
  escalated: "info",
};

const OUTCOME_LABEL: Record<AttemptOutcome, string> = {
  ok: "answered",
  error: "failed",
  "skipped-open": "skipped (breaker open)",
  "skipped-unknown": "skipped (no provider)",
  aborted: "aborted",
  escalated: "escalated",
};

/**
 * "Try it": a sample prompt through the real gateway to one route, showing the answer, which
 * target gave it and every attempt on the way (failures, retries, skipped targets).
 */
export function TryRoutePanel({
  orgSlug,
  routeNames,
  selected,
  onSelect,
  canTry,
}: {
  orgSlug: string;
  /** Routes the org is served (enabled org routes and config routes). */
  routeNames: string[];
  selected: string;
  onSelect: (name: string) => void;
  canTry: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [prompt, setPrompt] = useState("Say hello in five words.");
  const trial = useMutation(
    trpc.routes.try.mutationOptions({
      // A failure may have moved a breaker: show it now rather than at the next poll.
      onSettled: () =>
        queryClient.invalidateQueries({ queryKey: trpc.routes.breakers.queryKey({ orgSlug }) }),
    }),
  );
  const route = routeNames.includes(selected) ? selected : (routeNames[0] ?? "");

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!route) return;
    trial.mutate({ orgSlug, name: route, prompt });
  }

  const result = trial.data;
  return (
    <Card
      title="Try it"
      description="Sends a real request through the gateway with this organization's providers."
      id="try-route"
    >
      {!canTry ? (
        <p className="text-sm text-zinc-600">Owners and admins can send test requests.</p>
      ) : routeNames.length === 0 ? (
        <p className="text-sm text-zinc-600">Create or enable a route to try it here.</p>
      ) : (
        <form onSubmit={onSubmit} className="space-y-3" data-testid="try-route-form">
          <Field label="Route">
            {(control) => (
              <Select
                {...control}
                value={route}
                onChange={(e) => {
                  onSelect(e.target.value);
                  trial.reset();
                }}
              >
                {routeNames.map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="Prompt">
            {(control) => (
              <Textarea
                {...control}
                value={prompt}
                onChange={(e) => setPrompt(e.target.value)}
                rows={3}
                maxLength={ROUTE_LIMITS.promptMax}
              />
            )}
          </Field>
          <div className="flex items-center gap-3">
            <Button type="submit" loading={trial.isPending} disabled={!prompt.trim()}>
              Send
            </Button>
            {trial.isPending ? (
              <span className="text-sm text-zinc-500">Waiting for {route}…</span>
            ) : null}
          </div>
        </form>
      )}

      {trial.error ? (
        <Alert tone="danger" className="mt-4">
          {errorMessage(trial.error)}
        </Alert>
      ) : null}

      {result ? (
        <div className="mt-4 space-y-3 border-t border-zinc-100 pt-4" data-testid="try-result">
          <div className="space-y-1">
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <Badge tone={result.status === 200 ? "success" : "danger"}>
                {result.status === 200
                  ? "200 OK"
                  : `${result.status} ${result.error?.code ?? "error"}`}
              </Badge>
              {result.provider ? (
                <span data-testid="try-answered-by" className="text-zinc-700">
                  {result.status === 200 ? "Answered by" : "Last tried"}{" "}
                  <code className="font-mono font-medium text-zinc-900">
                    {result.provider}/{result.model}
                  </code>
                </span>
              ) : null}
            </div>
            <p className="text-xs text-zinc-500">
              {result.latencyMs} ms · {result.upstreamCalls ?? 0} upstream call
              {result.upstreamCalls === 1 ? "" : "s"}
              {result.usage
                ? ` · ${result.usage.promptTokens} + ${result.usage.completionTokens} tokens`
                : ""}
            </p>
          </div>
          {result.answer !== null ? (
            <p className="rounded-md bg-zinc-50 px-3 py-2 text-sm whitespace-pre-wrap text-zinc-900">
              {result.answer}
            </p>
          ) : result.error ? (
            <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {result.error.message}
            </p>
          ) : null}
          {result.attempts && result.attempts.length > 0 ? (
            <ol className="space-y-1" aria-label="Attempts" data-testid="try-attempts">
              {result.attempts.map((a, i) => {
                const called = a.outcome !== "skipped-open" && a.outcome !== "skipped-unknown";
                const detail = [
                  a.status !== null && a.outcome !== "ok" ? `HTTP ${a.status}` : null,
                  a.errorCode,
                ].filter(Boolean);
                return (
                  <li key={i} className="text-xs text-zinc-600">
                    <div className="flex items-center gap-2">
                      <span className="w-4 shrink-0 text-right text-zinc-400 tabular-nums">
                        {i + 1}
                      </span>
                      <code className="min-w-0 truncate font-mono text-zinc-800">
                        {a.providerId ? `${a.providerId}/` : ""}
                        {a.model}
                      </code>
                      <Badge tone={OUTCOME_TONE[a.outcome]}>{OUTCOME_LABEL[a.outcome]}</Badge>
                      {called ? (
                        <span className="ml-auto shrink-0 tabular-nums">{a.latencyMs} ms</span>
                      ) : null}
                    </div>
                    {detail.length > 0 ? (
                      <p className="pl-6 font-mono text-zinc-500">{detail.join(" · ")}</p>
                    ) : null}
                  </li>
                );
              })}
            </ol>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
