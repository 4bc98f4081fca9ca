"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Field, Input } from "~/components/input";
import { Select } from "~/components/select";
import { useToast } from "~/components/toast";
import type { CacheDefault } from "~/server/db/schema";
import { errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { LimitSettingsView } from "../server/get-limit-settings";
import { durationText, fieldFromNumber, numberFromField } from "./limits-format";
import { LimitsSwitch } from "./limits-switch";

/** Response cache defaults of the org: when to cache, for how long, and the semantic cache. */
export function CacheSettings({
  orgSlug,
  settings,
  canWrite,
}: {
  orgSlug: string;
  settings: LimitSettingsView;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [mode, setMode] = useState<CacheDefault>(settings.cacheDefault);
  const [ttl, setTtl] = useState(fieldFromNumber(settings.cacheTtlSeconds));
  const [semantic, setSemantic] = useState(settings.semanticCache);
  const [threshold, setThreshold] = useState(fieldFromNumber(settings.semanticThreshold));
  const save = useMutation(
    trpc.limits.updateSettings.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({
          queryKey: trpc.limits.overview.queryKey({ orgSlug }),
        });
        toast.success("Saved the cache settings.");
      },
    }),
  );
  const errors = fieldErrors(save.error);
  const ttlNumber = Number(ttl);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    save.mutate({
      orgSlug,
      cacheDefault: mode,
      cacheTtlSeconds: numberFromField(ttl) ?? settings.cacheTtlSeconds,
      semanticCache: semantic,
      semanticThreshold: numberFromField(threshold) ?? settings.semanticThreshold,
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      {save.error && !Object.values(errors).some(Boolean) ? (
        <Alert tone="danger">{errorMessage(save.error)}</Alert>
      ) : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Cache responses"
          hint="A request's x-switchyard-cache header (on, off, refresh) overrides this."
          error={errors.cacheDefault}
        >
          {(control) => (
            <Select
              {...control}
              value={mode}
              disabled={!canWrite}
              onChange={(e) => setMode(e.target.value as CacheDefault)}
            >
              <option value="off">Only requests with temperature 0</option>
              <option value="on">Every cacheable request</option>
            </Select>
          )}
        </Field>
        <Field
          label="Keep answers for (seconds)"
          hint={
            Number.isInteger(ttlNumber) && ttlNumber > 0
              ? `${durationText(ttlNumber)}; 1 second to 30 days. Keys can override it.`
              : "1 second to 30 days. Keys can override it."
          }
          error={errors.cacheTtlSeconds}
        >
          {(control) => (
            <Input
              {...control}
              inputMode="numeric"
              autoComplete="off"
              disabled={!canWrite}
              value={ttl}
              onChange={(e) => setTtl(e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="flex items-start justify-between gap-6">
        <div className="min-w-0">
          <p id="semantic-label" className="text-sm font-medium text-zinc-900">
            Semantic cache
          </p>
          <p id="semantic-hint" className="text-sm text-zinc-600">
            Also answer from a stored response to a similar prompt (same model, system prompt and
            parameters).
          </p>
        </div>
        <LimitsSwitch
          checked={semantic}
          disabled={!canWrite}
          onChange={setSemantic}
          labelledBy="semantic-label"
          describedBy="semantic-hint"
        />
      </div>
      {semantic ? (
        <Field
          label="Similarity threshold"
          hint="0.5 to 1; higher answers from the cache less often but more safely. 0.95 is a careful default."
          error={errors.semanticThreshold}
          className="max-w-xs"
        >
          {(control) => (
            <Input
              {...control}
              inputMode="decimal"
              autoComplete="off"
              disabled={!canWrite}
              value={threshold}
              onChange={(e) => setThreshold(e.target.value)}
            />
          )}
        </Field>
      ) : null}
      {canWrite ? (
        <div className="flex justify-end">
          <Button type="submit" variant="secondary" loading={save.isPending}>
            Save cache settings
          </Button>
        </div>
      ) : null}
    </form>
  );
}
