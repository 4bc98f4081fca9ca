"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "~/components/badge";
import { Button } from "~/components/button";
import { Card } from "~/components/card";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { EmptyState } from "~/components/empty-state";
import { PlusIcon } from "~/components/icons";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { Time } from "~/components/time";
import { useToast } from "~/components/toast";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { BudgetView } from "../server/budget-view";
import type { KeyLimitView } from "../server/key-limit-view";
import { BudgetBar } from "./budget-bar";
import { BudgetDialog } from "./budget-dialog";
import { LimitsIcon } from "./limits-icon";
import { usd } from "./limits-format";

function scopeLabel(b: BudgetView): string {
  if (b.scope === "org") return "Organization";
  if (b.scope === "user") return "Each end user";
  return `Key ${b.keyName ?? b.keyId}`;
}

const PERIOD_SHORT = {
  daily: "Daily",
  weekly: "Weekly",
  monthly: "Monthly",
  total: "Total",
} as const;

export function BudgetsCard({
  orgSlug,
  budgets,
  keys,
  canWrite,
}: {
  orgSlug: string;
  budgets: BudgetView[];
  keys: KeyLimitView[];
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [dialog, setDialog] = useState<{ editing: BudgetView | null } | null>(null);
  const [deleting, setDeleting] = useState<BudgetView | null>(null);
  const remove = useMutation(
    trpc.limits.deleteBudget.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({
          queryKey: trpc.limits.overview.queryKey({ orgSlug }),
        });
        toast.success("Deleted the budget.");
        setDeleting(null);
      },
    }),
  );
  const addButton = canWrite ? (
    <Button size="sm" icon={<PlusIcon />} onClick={() => setDialog({ editing: null })}>
      Add budget
    </Button>
  ) : null;

  return (
    <Card
      id="budgets"
      title="Budgets"
      description="Spending caps per period. Hard budgets refuse requests that could exceed them; soft ones only alert."
      actions={budgets.length > 0 ? addButton : null}
    >
      {budgets.length === 0 ? (
        <EmptyState
          icon={<LimitsIcon className="size-5" />}
          title="No budgets yet"
          description={
            canWrite
              ? "Cap what the organization, one API key or each end user can spend per day, week or month, and get alerted before it runs out."
              : "No spending caps are set. Owners and admins can add budgets here."
          }
          action={addButton}
        />
      ) : (
        <div className="-mx-5 -my-4">
          <Table bare label="Budgets">
            <THead>
              <TR>
                <TH>Applies to</TH>
                <TH>Period</TH>
                <TH>This period</TH>
                <TH>Mode</TH>
                <TH>Resets</TH>
                {canWrite ? (
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                ) : null}
              </TR>
            </THead>
            <TBody>
              {budgets.map((b) => (
                <TR key={b.id} data-testid={`budget-row-${b.id}`}>
                  <TD wrap className="min-w-40">
                    <div className="font-medium text-zinc-900">{scopeLabel(b)}</div>
                    <div className="mt-0.5 text-xs text-zinc-500">
                      {usd(b.amountMicros)} · alerts at {b.alertThresholds.join(", ")}%
                    </div>
                    {b.scope === "user" && b.topEndUser ? (
                      <div className="mt-0.5 text-xs text-zinc-500">
                        Top end user: <span className="font-mono">{b.topEndUser}</span>
                      </div>
                    ) : null}
                  </TD>
                  <TD>{PERIOD_SHORT[b.period]}</TD>
                  <TD>
                    <BudgetBar
                      spentMicros={b.spentMicros}
                      amountMicros={b.amountMicros}
                      thresholds={b.alertThresholds}
                      label={`${scopeLabel(b)} budget used`}
                    />
                  </TD>
                  <TD>
                    <Badge tone={b.hard ? "danger" : "info"}>{b.hard ? "Hard" : "Soft"}</Badge>
                  </TD>
                  <TD className="text-zinc-600">
                    {b.resetsAt ? (
                      <Time value={b.resetsAt} />
                    ) : (
                      <span className="text-zinc-400">Never</span>
                    )}
                  </TD>
                  {canWrite ? (
                    <TD className="text-right">
                      <div className="flex justify-end gap-1">
                        <Button variant="ghost" size="sm" onClick={() => setDialog({ editing: b })}>
                          Edit
                        </Button>
                        <Button variant="ghost-danger" size="sm" onClick={() => setDeleting(b)}>
                          Delete
                        </Button>
                      </div>
                    </TD>
                  ) : null}
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      )}
      <BudgetDialog
        orgSlug={orgSlug}
        open={dialog !== null}
        editing={dialog?.editing ?? null}
        keys={keys}
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this budget?"
        confirmLabel="Delete budget"
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
        onConfirm={() => deleting && remove.mutate({ orgSlug, id: deleting.id })}
      >
        <p>
          {deleting
            ? `${scopeLabel(deleting)}, ${usd(deleting.amountMicros)} ${deleting.period}.`
            : null}{" "}
          Requests are no longer capped or alerted by it; its alert history is deleted with it.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
