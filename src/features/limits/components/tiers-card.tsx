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
import type { TierView } from "../server/tier-view";
import { LimitCells } from "./limit-fields";
import { MEASURES } from "./limits-format";
import { TierDialog } from "./tier-dialog";

export function TiersCard({
  orgSlug,
  tiers,
  canWrite,
}: {
  orgSlug: string;
  tiers: TierView[];
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [dialog, setDialog] = useState<{ editing: TierView | null } | null>(null);
  const [deleting, setDeleting] = useState<TierView | null>(null);
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.limits.overview.queryKey({ orgSlug }) });
  const defaults = useMutation(
    trpc.limits.addDefaultTiers.mutationOptions({
      onSuccess: async (result) => {
        await refresh();
        toast.success(
          result.created.length
            ? `Added tiers ${result.created.join(", ")}.`
            : "The default tiers are all there already.",
        );
      },
      onError: (err) => toast.error(errorMessage(err)),
    }),
  );
  const remove = useMutation(
    trpc.limits.deleteTier.mutationOptions({
      onSuccess: async (result) => {
        await refresh();
        toast.success(
          result.unassignedKeyIds.length
            ? `Deleted tier ${result.name} and unassigned ${result.unassignedKeyIds.length} key${result.unassignedKeyIds.length === 1 ? "" : "s"}.`
            : `Deleted tier ${result.name}.`,
        );
        setDeleting(null);
      },
    }),
  );
  const hasAllDefaults = ["free", "pro", "enterprise"].every((n) =>
    tiers.some((t) => t.name === n),
  );

  return (
    <Card
      id="tiers"
      title="Tiers"
      description="Named presets (free, pro, …) you assign keys to, instead of setting each key's limits."
      actions={
        canWrite ? (
          <>
            {!hasAllDefaults ? (
              <Button
                size="sm"
                variant="secondary"
                loading={defaults.isPending}
                onClick={() => defaults.mutate({ orgSlug })}
              >
                Add default tiers
              </Button>
            ) : null}
            <Button
              size="sm"
              variant="secondary"
              icon={<PlusIcon />}
              onClick={() => setDialog({ editing: null })}
            >
              New tier
            </Button>
          </>
        ) : null
      }
    >
      {tiers.length === 0 ? (
        <p className="text-sm text-zinc-600">
          No tiers yet.{" "}
          {canWrite
            ? "Add the default tiers (free, pro, enterprise) to start from sensible limits, then edit them."
            : "Owners and admins can create them."}
        </p>
      ) : (
        <div className="-mx-5 -my-4">
          <Table bare label="Tiers">
            <THead>
              <TR>
                <TH>Tier</TH>
                {MEASURES.map((m) => (
                  <TH key={m.key} className="text-right">
                    {m.short}
                  </TH>
                ))}
                <TH className="text-right">Keys</TH>
                {canWrite ? (
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                ) : null}
              </TR>
            </THead>
            <TBody>
              {tiers.map((t) => (
                <TR key={t.id}>
                  <TD className="font-medium text-zinc-900">{t.name}</TD>
                  <LimitCells limits={t.limits} />
                  <TD className="text-right tabular-nums">{t.keyCount}</TD>
                  {canWrite ? (
                    <TD className="text-right">
                      <div className="flex justify-end gap-1">
                        <Button variant="ghost" size="sm" onClick={() => setDialog({ editing: t })}>
                          Edit
                        </Button>
                        <Button variant="ghost-danger" size="sm" onClick={() => setDeleting(t)}>
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
      <TierDialog
        orgSlug={orgSlug}
        open={dialog !== null}
        editing={dialog?.editing ?? null}
        onClose={() => setDialog(null)}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete tier ${deleting?.name ?? ""}?`}
        confirmLabel={deleting && deleting.keyCount > 0 ? "Delete and unassign" : "Delete tier"}
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
        onConfirm={() =>
          deleting &&
          remove.mutate({ orgSlug, id: deleting.id, unassignKeys: deleting.keyCount > 0 })
        }
      >
        {deleting && deleting.keyCount > 0 ? (
          <p>
            <strong>
              {deleting.keyCount} key{deleting.keyCount === 1 ? " uses" : "s use"} this tier.
            </strong>{" "}
            They will be unassigned and keep only the limits they set themselves.
          </p>
        ) : (
          <p>No key uses this tier.</p>
        )}
      </ConfirmDialog>
    </Card>
  );
}
