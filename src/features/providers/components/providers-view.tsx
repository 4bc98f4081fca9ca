"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "~/components/alert";
import { Badge } from "~/components/badge";
import { Button } from "~/components/button";
import { EmptyState } from "~/components/empty-state";
import { PlusIcon, ProvidersIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { LoadingBlock } from "~/components/spinner";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { useToast } from "~/components/toast";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { InstanceProviderView, OrgProviderView } from "../server/provider-view";
import { DeleteProviderDialog } from "./delete-provider-dialog";
import { ProviderDialog } from "./provider-dialog";
import { presetForUrl } from "./provider-presets";
import { LastTestBadge } from "./test-result";

const DISCOVERY_LABEL: Record<InstanceProviderView["discovery"], string | null> = {
  static: null,
  ok: null,
  pending: "Discovering models…",
  failed: "Model discovery failed",
};

function InstanceProviders({ providers }: { providers: InstanceProviderView[] }) {
  return (
    <section aria-labelledby="instance-providers-title" className="mb-8">
      <h2 id="instance-providers-title" className="text-sm font-semibold text-zinc-900">
        Instance providers
      </h2>
      <p className="mt-0.5 mb-3 text-sm text-zinc-600">
        Set up by whoever runs this Switchyard server and available to every organization. Read-only
        here.
      </p>
      {providers.length === 0 ? (
        <p className="rounded-lg border border-dashed border-zinc-300 bg-white px-4 py-3 text-sm text-zinc-600">
          None configured. The server operator can add one with{" "}
          <code className="font-mono">OPENAI_API_KEY</code> (and{" "}
          <code className="font-mono">OPENAI_BASE_URL</code> for an OpenAI-compatible server).
        </p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {providers.map((p) => (
            <li
              key={p.id}
              data-testid="instance-provider"
              className="min-w-0 rounded-lg border border-zinc-200 bg-white px-4 py-3 shadow-sm"
            >
              <div className="flex items-center justify-between gap-2">
                <code className="truncate font-mono text-sm font-semibold text-zinc-900">
                  {p.id}
                </code>
                <Badge tone={p.type === "mock" ? "warning" : "brand"}>{p.type}</Badge>
              </div>
              <p className="mt-1.5 text-sm text-zinc-700">
                {p.models.length} model{p.models.length === 1 ? "" : "s"}
                <span className="text-zinc-400"> · </span>
                <span className="text-zinc-500">
                  {p.source === "env"
                    ? "server environment"
                    : p.source === "config"
                      ? "config file"
                      : "built in"}
                </span>
              </p>
              {DISCOVERY_LABEL[p.discovery] ? (
                <p
                  className={
                    p.discovery === "failed"
                      ? "mt-1 text-xs text-amber-700"
                      : "mt-1 text-xs text-zinc-500"
                  }
                >
                  {DISCOVERY_LABEL[p.discovery]}
                </p>
              ) : null}
              {p.models.length > 0 ? (
                <p
                  className="mt-1 truncate font-mono text-xs text-zinc-500"
                  title={p.models.join(", ")}
                >
                  {p.models.slice(0, 4).join(", ")}
                  {p.models.length > 4 ? ` +${p.models.length - 4}` : ""}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return u.host + (u.pathname === "/" ? "" : u.pathname);
  } catch {
    return url;
  }
}

function RowTestButton({ orgSlug, provider }: { orgSlug: string; provider: OrgProviderView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const test = useMutation(
    trpc.providers.test.mutationOptions({
      onSuccess: (result) => {
        void queryClient.invalidateQueries({ queryKey: trpc.providers.list.queryKey({ orgSlug }) });
        if (result.ok) toast.success(`${provider.name}: ${result.message}`);
        else toast.error(`${provider.name}: ${result.message}`);
      },
      onError: (err) => toast.error(`${provider.name}: ${errorMessage(err)}`),
    }),
  );
  return (
    <Button
      variant="ghost"
      size="sm"
      loading={test.isPending}
      aria-label={`Test connection to ${provider.name}`}
      onClick={() => test.mutate({ orgSlug, id: provider.id })}
    >
      Test
    </Button>
  );
}

export function ProvidersView() {
  const org = useOrg();
  const trpc = useTRPC();
  const list = useQuery(trpc.providers.list.queryOptions({ orgSlug: org.slug }));
  const canCreate = org.can("providers:create");
  const canUpdate = org.can("providers:update");
  const canDelete = org.can("providers:delete");
  const [dialog, setDialog] = useState<{ editing: OrgProviderView | null } | null>(null);
  const [deleting, setDeleting] = useState<OrgProviderView | null>(null);

  const addButton = canCreate ? (
    <Button icon={<PlusIcon />} onClick={() => setDialog({ editing: null })} disabled={!list.data}>
      Add provider
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Providers"
        description={
          <>
            The upstream LLM APIs the gateway forwards your apps&apos; requests to. Apps ask for a
            model by name, or pick a provider with <code className="font-mono">provider/model</code>
            .
          </>
        }
        actions={addButton}
      />
      {!canCreate ? (
        <Alert tone="info" className="mb-4">
          Your role ({org.role}) can view providers; owners and admins add and change them.
        </Alert>
      ) : null}
      {list.isPending ? (
        <LoadingBlock label="Loading providers…" />
      ) : list.isError ? (
        <Alert tone="danger">{errorMessage(list.error)}</Alert>
      ) : (
        <>
          <InstanceProviders providers={list.data.instance} />
          <section aria-labelledby="org-providers-title">
            <h2 id="org-providers-title" className="mb-3 text-sm font-semibold text-zinc-900">
              {org.name}&apos;s providers
            </h2>
            {list.data.org.length === 0 ? (
              <EmptyState
                icon={<ProvidersIcon className="size-5" />}
                title="No providers of your own yet"
                description={
                  <>
                    A provider is an upstream API such as OpenAI, Groq, Mistral or a local Ollama.
                    Add one with its base URL and API key (stored encrypted, never shown again),
                    test the connection and pick its models. Your apps then call them through
                    Switchyard with one of this organization&apos;s API keys, e.g.{" "}
                    <code className="font-mono whitespace-nowrap">groq/llama-3.1-8b-instant</code>.
                    {canCreate ? null : " An owner or admin of this organization can add one."}
                  </>
                }
                action={addButton}
              />
            ) : (
              <Table label="Organization providers">
                <THead>
                  <TR>
                    <TH>Name</TH>
                    <TH>Type</TH>
                    <TH>Base URL</TH>
                    <TH>Key</TH>
                    <TH>Models</TH>
                    <TH>Last test</TH>
                    {canUpdate || canDelete ? (
                      <TH>
                        <span className="sr-only">Actions</span>
                      </TH>
                    ) : null}
                  </TR>
                </THead>
                <TBody>
                  {list.data.org.map((p) => (
                    <TR key={p.id} data-testid="provider-row" data-provider-name={p.name}>
                      <TD>
                        <div className="font-mono font-medium text-zinc-900">{p.name}</div>
                        {p.priority !== 100 ? (
                          <div className="text-xs text-zinc-500">priority {p.priority}</div>
                        ) : null}
                      </TD>
                      <TD>
                        <Badge tone={p.type === "mock" ? "warning" : "neutral"}>{p.type}</Badge>
                        {presetForUrl(p.baseUrl) ? (
                          <div className="mt-0.5 text-xs text-zinc-500">
                            {presetForUrl(p.baseUrl)!.label}
                          </div>
                        ) : null}
                      </TD>
                      <TD className="max-w-64 truncate font-mono text-xs" title={p.baseUrl}>
                        {hostOf(p.baseUrl)}
                      </TD>
                      <TD>
                        {p.hasApiKey ? (
                          <code className="text-zinc-700">…{p.apiKeyLast4}</code>
                        ) : (
                          <span className="text-xs text-zinc-400">None</span>
                        )}
                      </TD>
                      <TD>
                        <span title={p.models.slice(0, 40).join(", ")}>{p.models.length}</span>
                      </TD>
                      <TD>
                        <LastTestBadge lastTest={p.lastTest} />
                      </TD>
                      {canUpdate || canDelete ? (
                        <TD className="text-right">
                          <div className="flex justify-end gap-1">
                            {canUpdate ? <RowTestButton orgSlug={org.slug} provider={p} /> : null}
                            {canUpdate ? (
                              <Button
                                variant="ghost"
                                size="sm"
                                aria-label={`Edit ${p.name}`}
                                onClick={() => setDialog({ editing: p })}
                              >
                                Edit
                              </Button>
                            ) : null}
                            {canDelete ? (
                              <Button
                                variant="ghost-danger"
                                size="sm"
                                aria-label={`Delete ${p.name}`}
                                onClick={() => setDeleting(p)}
                              >
                                Delete
                              </Button>
                            ) : null}
                          </div>
                        </TD>
                      ) : null}
                    </TR>
                  ))}
                </TBody>
              </Table>
            )}
          </section>
        </>
      )}

      {list.data ? (
        <ProviderDialog
          orgSlug={org.slug}
          open={dialog !== null}
          editing={dialog?.editing ?? null}
          types={list.data.types}
          reservedNames={list.data.instance.map((p) => p.id)}
          privateUpstreamsAllowed={list.data.privateUpstreamsAllowed}
          onClose={() => setDialog(null)}
        />
      ) : null}
      <DeleteProviderDialog
        orgSlug={org.slug}
        provider={deleting}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
