"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { Alert } from "~/components/alert";
import { Badge } from "~/components/badge";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { PlusIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { LoadingBlock } from "~/components/spinner";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { Time } from "~/components/time";
import { useToast } from "~/components/toast";
import { useOrg } from "~/features/shell/components/org-context";
import type { Policy } from "~/gateway/guardrails/policy/schema";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { SAMPLE_POLICIES_YAML } from "../policy-document";
import type { PolicyView } from "../server/policy-view";
import { PoliciesIcon } from "./policies-icon";
import { PolicyEditorDialog } from "./policy-editor-dialog";
import { PolicyHistoryDialog } from "./policy-history-dialog";
import { PolicyTestBox } from "./policy-test-box";

const ACTION_TONE: Record<string, "danger" | "warning" | "info"> = {
  block: "danger",
  flag: "warning",
  redact: "info",
  mask: "info",
  reroute: "info",
};

function RulesSummary({ policy }: { policy: Policy }) {
  return (
    <ul className="flex max-w-md flex-wrap gap-1">
      {policy.rules.map((r) => (
        <li key={r.id} className="inline-flex items-center gap-1 rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700">
          <span className="font-mono">{r.id}</span>
          <Badge tone={ACTION_TONE[r.action] ?? "neutral"} className="px-1.5 py-0">
            {r.action}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

function ScopeText({ policy }: { policy: Policy }) {
  const s = policy.scope;
  const parts = [
    s.keys ? `${s.keys.length} key${s.keys.length === 1 ? "" : "s"}` : null,
    s.routes ? `routes ${s.routes.join(", ")}` : null,
    s.models ? `models ${s.models.join(", ")}` : null,
    s.metadata ? Object.entries(s.metadata).map(([k, v]) => `${k}=${v}`).join(", ") : null,
  ].filter(Boolean);
  return <span className="text-xs text-zinc-500">{parts.length === 0 ? "all requests" : parts.join(" · ")}</span>;
}

function EmptyPolicies({ orgSlug, action }: { orgSlug: string; action: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-zinc-300 bg-white px-6 py-10" data-testid="policies-empty">
      <div className="mx-auto flex max-w-xl flex-col items-center text-center">
        <div className="mb-3 flex size-10 items-center justify-center rounded-full bg-brand-50 text-brand-600">
          <PoliciesIcon className="size-5" />
        </div>
        <h3 className="text-sm font-semibold text-zinc-900">No guardrail policies yet</h3>
        <p className="mt-1 text-sm text-zinc-600">
          Policies check every request (and, if you want, every answer) for personal data, secrets, prompt
          injection, toxicity or your own patterns, and then block, redact, mask, flag or reroute it. Redacted
          values never reach the provider and are put back into the answer.
        </p>
        {action ? <div className="mt-5">{action}</div> : null}
      </div>
      <div className="mx-auto mt-6 max-w-xl">
        <div className="overflow-hidden rounded-lg border border-zinc-800 bg-zinc-950">
          <div className="border-b border-zinc-800 px-3 py-1.5 text-xs font-medium text-zinc-400">policies.yaml</div>
          <pre className="overflow-x-auto p-4 text-[13px] leading-relaxed text-zinc-100">
            <code>{SAMPLE_POLICIES_YAML}</code>
          </pre>
        </div>
        <p className="mt-2 text-xs text-zinc-500">
          Apply it with{" "}
          <code className="font-mono break-all">npm run cli -- policies apply --org {orgSlug} --file policies.yaml</code>
        </p>
      </div>
    </div>
  );
}

export function PoliciesView() {
  const org = useOrg();
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.policies.list.queryOptions({ orgSlug: org.slug }));
  const canWrite = org.can("policies:write");
  const [editor, setEditor] = useState<{ editing: PolicyView | null } | null>(null);
  const [history, setHistory] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<PolicyView | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.policies.list.queryKey({ orgSlug: org.slug }) });
  const toggle = useMutation(
    trpc.policies.setEnabled.mutationOptions({
      onSuccess: (p) => toast.success(`${p.enabled ? "Enabled" : "Disabled"} ${p.name}.`),
      onError: (err) => toast.error(errorMessage(err)),
      onSettled: refresh,
    }),
  );
  const remove = useMutation(
    trpc.policies.delete.mutationOptions({
      onSuccess: () => {
        toast.success(`Deleted ${deleting?.name ?? "the policy"}.`);
        setDeleting(null);
      },
      onSettled: refresh,
    }),
  );

  const own = list.data?.org ?? [];
  const instance = list.data?.instance ?? [];
  const newButton = canWrite ? (
    <Button icon={<PlusIcon />} onClick={() => setEditor({ editing: null })} disabled={!list.data}>
      New policy
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Policies"
        description="Guardrails on every request and answer: what to look for, and whether to block, redact, mask, flag or reroute. Policies run in priority order (lowest first); a block wins over everything."
        actions={newButton}
      />
      {list.isPending ? (
        <LoadingBlock />
      ) : list.error ? (
        <Alert tone="danger">{errorMessage(list.error)}</Alert>
      ) : own.length === 0 && instance.length === 0 ? (
        <EmptyPolicies orgSlug={org.slug} action={newButton} />
      ) : (
        <div className="space-y-6">
          {own.length > 0 ? (
            <Table label="Policies" data-testid="policies-table">
              <THead>
                <TR>
                  <TH className="w-16 text-right">Priority</TH>
                  <TH>Policy</TH>
                  <TH>Stage</TH>
                  <TH>Rules</TH>
                  <TH>Status</TH>
                  <TH>Version</TH>
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                </TR>
              </THead>
              <TBody>
                {own.map((p) => (
                  <TR key={p.policyId}>
                    <TD className="text-right font-mono tabular-nums">{p.priority}</TD>
                    <TD wrap className="min-w-48">
                      <div className="font-medium text-zinc-900">{p.name}</div>
                      <div className="font-mono text-xs text-zinc-500">{p.policyId}</div>
                      <ScopeText policy={p.definition} />
                    </TD>
                    <TD>{p.stage === "both" ? "input + output" : p.stage}</TD>
                    <TD wrap>
                      <RulesSummary policy={p.definition} />
                    </TD>
                    <TD>{p.enabled ? <Badge tone="success">enabled</Badge> : <Badge>disabled</Badge>}</TD>
                    <TD>
                      <div className="tabular-nums">v{p.version}</div>
                      <div className="text-xs text-zinc-500">
                        <Time value={p.updatedAt} /> · {p.updatedBy}
                      </div>
                    </TD>
                    <TD className="text-right whitespace-nowrap">
                      <Button variant="ghost" size="sm" onClick={() => setHistory(p.policyId)}>
                        History
                      </Button>
                      {canWrite ? (
                        <>
                          <Button variant="ghost" size="sm" onClick={() => setEditor({ editing: p })}>
                            Edit
                          </Button>
                          <Button
                            variant="ghost"
                            size="sm"
                            loading={toggle.isPending && toggle.variables?.policyId === p.policyId}
                            onClick={() => toggle.mutate({ orgSlug: org.slug, policyId: p.policyId, enabled: !p.enabled })}
                          >
                            {p.enabled ? "Disable" : "Enable"}
                          </Button>
                          <Button variant="ghost-danger" size="sm" onClick={() => setDeleting(p)}>
                            Delete
                          </Button>
                        </>
                      ) : null}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          ) : (
            <Alert tone="info" title="No policies of your own">
              Only the instance-wide policies below apply.{canWrite ? " Add one with New policy." : ""}
            </Alert>
          )}
          {instance.length > 0 ? (
            <div>
              <h2 className="mb-2 text-sm font-semibold text-zinc-900">From the instance config file</h2>
              <Table label="Instance policies">
                <THead>
                  <TR>
                    <TH className="w-16 text-right">Priority</TH>
                    <TH>Policy</TH>
                    <TH>Stage</TH>
                    <TH>Rules</TH>
                    <TH>Status</TH>
                  </TR>
                </THead>
                <TBody>
                  {instance.map((p) => (
                    <TR key={p.policyId}>
                      <TD className="text-right font-mono tabular-nums">{p.definition.priority}</TD>
                      <TD wrap>
                        <div className="font-medium text-zinc-900">{p.definition.name}</div>
                        <div className="font-mono text-xs text-zinc-500">{p.policyId}</div>
                      </TD>
                      <TD>{p.definition.stage}</TD>
                      <TD wrap>
                        <RulesSummary policy={p.definition} />
                      </TD>
                      <TD>
                        {p.overridden ? <Badge>replaced by yours</Badge> : p.definition.enabled ? <Badge tone="success">enabled</Badge> : <Badge>disabled</Badge>}
                      </TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            </div>
          ) : null}
        </div>
      )}
      <div className="mt-8">
        <PolicyTestBox orgSlug={org.slug} />
      </div>
      {editor ? <PolicyEditorDialog orgSlug={org.slug} editing={editor.editing} onClose={() => setEditor(null)} /> : null}
      {history ? <PolicyHistoryDialog orgSlug={org.slug} policyId={history} onClose={() => setHistory(null)} /> : null}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? "policy"}?`}
        confirmLabel="Delete policy"
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onConfirm={() => deleting && remove.mutate({ orgSlug: org.slug, policyId: deleting.policyId })}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      >
        Requests stop being checked by it at once. Its history stays readable.
      </ConfirmDialog>
    </>
  );
}
