"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Alert } from "~/components/alert";
import { Card } from "~/components/card";
import { cx } from "~/components/class-names";
import { ChevronLeftIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { Spinner } from "~/components/spinner";
import { Time } from "~/components/time";
import { useToast } from "~/components/toast";
import { PriceOverridesCard } from "~/features/pricing/components/price-overrides-card";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

function Switch({
  checked,
  disabled,
  busy,
  onChange,
  labelledBy,
  describedBy,
}: {
  checked: boolean;
  disabled: boolean;
  busy: boolean;
  onChange: (next: boolean) => void;
  labelledBy: string;
  describedBy: string;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      aria-busy={busy || undefined}
      disabled={disabled || busy}
      onClick={() => onChange(!checked)}
      className={cx(
        "relative inline-flex h-6 w-11 shrink-0 items-center rounded-full transition-colors disabled:cursor-not-allowed disabled:opacity-60",
        checked ? "bg-brand-600" : "bg-zinc-300",
      )}
    >
      <span
        aria-hidden="true"
        className={cx(
          "inline-block size-5 rounded-full bg-white shadow transition-transform",
          checked ? "translate-x-5.5" : "translate-x-0.5",
        )}
      />
    </button>
  );
}

function StoreBodiesCard() {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const settings = useQuery(trpc.logs.settings.queryOptions({ orgSlug: org.slug }));
  const update = useMutation(
    trpc.logs.updateSettings.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.logs.settings.queryKey({ orgSlug: org.slug }), saved);
        toast.success(saved.storeBodies ? "Request and response bodies will be stored." : "Bodies will no longer be stored.");
      },
    }),
  );
  const canUpdate = org.can("settings:update");
  return (
    <Card title="Request logs">
      {settings.isPending ? (
        <Spinner label="Loading…" />
      ) : settings.isError ? (
        <Alert tone="danger">{errorMessage(settings.error)}</Alert>
      ) : (
        <div className="flex items-start justify-between gap-6">
          <div className="min-w-0 space-y-1">
            <p id="store-bodies-label" className="text-sm font-medium text-zinc-900">
              Store request and response bodies
            </p>
            <div id="store-bodies-hint" className="space-y-1 text-sm text-zinc-600">
              <p>
                Keeps the prompt and the answer of every request for debugging, up to 32 KB each (longer bodies are cut
                and marked truncated). Obvious secrets such as API keys and bearer tokens are redacted. When off, logs
                keep models, status, timing, tokens and cost only.
              </p>
              <p className="text-xs text-zinc-500">
                {canUpdate
                  ? "Applies to new requests within a few seconds; logs already stored are not changed."
                  : `Your role (${org.role}) cannot change this; owners and admins can.`}
                {settings.data.updatedAt ? (
                  <>
                    {" "}
                    Last changed <Time value={settings.data.updatedAt} />.
                  </>
                ) : null}
              </p>
            </div>
            {update.error ? <Alert tone="danger">{errorMessage(update.error)}</Alert> : null}
          </div>
          <Switch
            checked={update.isPending ? (update.variables?.storeBodies ?? settings.data.storeBodies) : settings.data.storeBodies}
            disabled={!canUpdate}
            busy={update.isPending}
            labelledBy="store-bodies-label"
            describedBy="store-bodies-hint"
            onChange={(storeBodies) => update.mutate({ orgSlug: org.slug, storeBodies })}
          />
        </div>
      )}
    </Card>
  );
}

/** Logging settings: the store-bodies switch and the org's custom model prices. */
export function LoggingSettingsView() {
  const org = useOrg();
  const trpc = useTRPC();
  const searchParams = useSearchParams();
  const filters = useQuery(trpc.logs.filters.queryOptions({ orgSlug: org.slug }));
  return (
    <>
      <Link
        href={`/orgs/${org.slug}/logs`}
        className="mb-3 inline-flex items-center gap-1 text-sm font-medium text-zinc-600 hover:text-zinc-900"
      >
        <ChevronLeftIcon className="size-4" />
        Logs
      </Link>
      <PageHeader title="Logging settings" description="What request logs keep, and how requests are priced." />
      <div className="space-y-6">
        <StoreBodiesCard />
        <PriceOverridesCard initialModel={searchParams.get("model") ?? ""} models={filters.data?.models ?? []} />
      </div>
    </>
  );
}
