"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "~/components/button";
import { Card } from "~/components/card";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { PlusIcon } from "~/components/icons";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { useToast } from "~/components/toast";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { OrgLimitView } from "../server/org-limit-view";
import { LimitCells } from "./limit-fields";
import { MEASURES } from "./limits-format";
import { OrgLimitDialog, type OrgLimitTarget } from "./org-limit-dialog";

export function OrgLimitsCard({
  orgSlug,
  limits,
  canWrite,
}: {
  orgSlug: string;
  limits: OrgLimitView[];
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState<OrgLimitTarget | null>(null);
  const [deleting, setDeleting] = useState<OrgLimitView | null>(null);
  const remove = useMutation(
    trpc.limits.deleteOrgLimit.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({
          queryKey: trpc.limits.overview.queryKey({ orgSlug }),
        });
        toast.success("Removed the limits.");
        setDeleting(null);
      },
    }),
  );
  const orgWide = limits.find((l) => l.model === null) ?? null;
  const models = limits.filter((l) => l.model !== null);

  return (
    <Card
      id="org-limits"
      title="Organization and model limits"
      description="Shared by all keys: the organization as a whole, and per model or route."
      actions={
        canWrite ? (
          <>
            {!orgWide ? (
              <Button size="sm" variant="secondary" onClick={() => setEditing({ model: null })}>
                Set org-wide limits
              </Button>
            ) : null}
            <Button
              size="sm"
              variant="secondary"
              icon={<PlusIcon />}
              onClick={() => setEditing({ model: "" })}
            >
              Limit a model
            </Button>
          </>
        ) : null
      }
    >
      {limits.length === 0 ? (
        <p className="text-sm text-zinc-600">
          No organization or model limits: only key limits and budgets apply.{" "}
          {canWrite
            ? "Set org-wide limits to protect your provider quota, or limit an expensive model."
            : "Owners and admins can set them."}
        </p>
      ) : (
        <div className="-mx-5 -my-4">
          <Table bare label="Organization and model limits">
            <THead>
              <TR>
                <TH>Applies to</TH>
                {MEASURES.map((m) => (
                  <TH key={m.key} className="text-right">
                    {m.short}
                  </TH>
                ))}
                {canWrite ? (
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                ) : null}
              </TR>
            </THead>
            <TBody>
              {[...(orgWide ? [orgWide] : []), ...models].map((l) => (
                <TR key={l.id}>
                  <TD>
                    {l.model === null ? (
                      <span className="font-medium text-zinc-900">Whole organization</span>
                    ) : (
                      <span className="font-mono text-zinc-900">{l.model}</span>
                    )}
                  </TD>
                  <LimitCells limits={l.limits} />
                  {canWrite ? (
                    <TD className="text-right">
                      <div className="flex justify-end gap-1">
                        <Button variant="ghost" size="sm" onClick={() => setEditing(l)}>
                          Edit
                        </Button>
                        <Button variant="ghost-danger" size="sm" onClick={() => setDeleting(l)}>
                          Remove
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
      <OrgLimitDialog orgSlug={orgSlug} target={editing} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={deleting !== null}
        title={
          deleting?.model
            ? `Remove the limits of ${deleting.model}?`
            : "Remove the org-wide limits?"
        }
        confirmLabel="Remove limits"
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
        onConfirm={() => deleting && remove.mutate({ orgSlug, id: deleting.id })}
      >
        <p>Requests are no longer limited at this level; key limits and budgets still apply.</p>
      </ConfirmDialog>
    </Card>
  );
}
