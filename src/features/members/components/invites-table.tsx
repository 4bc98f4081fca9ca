"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "~/components/alert";
import { Badge, type BadgeTone } from "~/components/badge";
import { Button } from "~/components/button";
import { Card } from "~/components/card";
import { LoadingBlock } from "~/components/spinner";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { Time } from "~/components/time";
import { useToast } from "~/components/toast";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { RoleBadge } from "./role-badge";

const STATUS_TONE: Record<string, BadgeTone> = {
  pending: "warning",
  accepted: "success",
  expired: "neutral",
  revoked: "danger",
};

export function InvitesTable({ orgSlug, canInvite }: { orgSlug: string; canInvite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const invites = useQuery(trpc.invites.list.queryOptions({ orgSlug }));
  const [showAll, setShowAll] = useState(false);
  const [revoking, setRevoking] = useState<{ id: string; email: string } | null>(null);
  const revoke = useMutation(
    trpc.invites.revoke.mutationOptions({
      onSuccess: async () => {
        toast.success(`Invite for ${revoking?.email} revoked.`);
        setRevoking(null);
        await queryClient.invalidateQueries({ queryKey: trpc.invites.list.queryKey({ orgSlug }) });
      },
    }),
  );

  const all = invites.data ?? [];
  const pending = all.filter((i) => i.status === "pending");
  const shown = showAll ? all : pending;
  const pastCount = all.length - pending.length;

  return (
    <Card
      title="Invites"
      description={
        showAll
          ? "All invites, including used, expired and revoked ones."
          : "Invites waiting to be accepted."
      }
      actions={
        pastCount > 0 ? (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => setShowAll((v) => !v)}
            aria-pressed={showAll}
          >
            {showAll ? "Show pending only" : `Show past invites (${pastCount})`}
          </Button>
        ) : null
      }
    >
      {invites.isPending ? (
        <LoadingBlock label="Loading invites…" />
      ) : invites.isError ? (
        <Alert tone="danger">{errorMessage(invites.error)}</Alert>
      ) : shown.length === 0 ? (
        <p className="py-2 text-sm text-zinc-600">
          No pending invites.{" "}
          {canInvite
            ? "Invite a teammate with the form above; their invite shows up here until they accept it."
            : "Admins and owners can invite teammates."}
        </p>
      ) : (
        <div className="-mx-5 -my-4">
          <Table label="Invites" bare>
            <THead>
              <TR>
                <TH>Email</TH>
                <TH>Role</TH>
                <TH>Status</TH>
                <TH>Invited by</TH>
                <TH>Expires</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {shown.map((invite) => (
                <TR key={invite.id} data-testid="invite-row">
                  <TD className="font-medium text-zinc-900">{invite.email}</TD>
                  <TD>
                    <RoleBadge role={invite.role} />
                  </TD>
                  <TD>
                    <Badge tone={STATUS_TONE[invite.status]} className="capitalize">
                      {invite.status}
                    </Badge>
                  </TD>
                  <TD>{invite.invitedBy ?? <span className="text-zinc-400">—</span>}</TD>
                  <TD>
                    <Time value={invite.expiresAt} />
                  </TD>
                  <TD className="text-right">
                    {canInvite && invite.status === "pending" ? (
                      <Button
                        variant="ghost-danger"
                        size="sm"
                        aria-label={`Revoke invite for ${invite.email}`}
                        onClick={() => setRevoking({ id: invite.id, email: invite.email })}
                      >
                        Revoke
                      </Button>
                    ) : null}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      )}
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke invite?"
        confirmLabel="Revoke invite"
        pending={revoke.isPending}
        error={revoke.error ? errorMessage(revoke.error) : null}
        onConfirm={() => revoking && revoke.mutate({ orgSlug, inviteId: revoking.id })}
        onClose={() => {
          revoke.reset();
          setRevoking(null);
        }}
      >
        <p>
          The link sent to <strong className="font-medium text-zinc-900">{revoking?.email}</strong>{" "}
          stops working. You can invite them again later.
        </p>
      </ConfirmDialog>
    </Card>
  );
}
