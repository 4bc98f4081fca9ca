"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "~/components/alert";
import { Badge } from "~/components/badge";
import { Button } from "~/components/button";
import { Card } from "~/components/card";
import { Select } from "~/components/select";
import { LoadingBlock } from "~/components/spinner";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { Time } from "~/components/time";
import { useToast } from "~/components/toast";
import { Avatar } from "~/features/shell/components/user-menu";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { RoleBadge } from "./role-badge";
import { assignableRoles, ROLE_OPTIONS, type MemberRole } from "./roles";

interface MemberRow {
  id: string;
  email: string;
  name: string | null;
  role: string;
  isYou: boolean;
}

export function MembersTable({
  orgSlug,
  orgName,
  actorRole,
  canUpdate,
  canRemove,
}: {
  orgSlug: string;
  orgName: string;
  actorRole: string;
  canUpdate: boolean;
  canRemove: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const members = useQuery(trpc.members.list.queryOptions({ orgSlug }));
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const [leaving, setLeaving] = useState(false);

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey({ orgSlug }) });
    router.refresh(); // member counts and the caller's own role live in the page frame
  };

  const changeRole = useMutation(
    trpc.members.changeRole.mutationOptions({
      onSuccess: async (_data, input) => {
        toast.success(`Role changed to ${input.role}.`);
        await refresh();
      },
      onError: (error) => toast.error(errorMessage(error)),
    }),
  );
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: async () => {
        toast.success(`${removing?.name || removing?.email} was removed.`);
        setRemoving(null);
        await refresh();
      },
    }),
  );
  const leave = useMutation(
    trpc.members.leave.mutationOptions({
      onSuccess: () => {
        router.replace("/");
        router.refresh();
      },
    }),
  );

  const assignable = new Set(assignableRoles(actorRole).map((r) => r.value));

  return (
    <Card title="Members" description={`People with access to ${orgName}.`}>
      {members.isPending ? (
        <LoadingBlock label="Loading members…" />
      ) : members.isError ? (
        <Alert tone="danger">{errorMessage(members.error)}</Alert>
      ) : (
        <div className="-mx-5 -my-4">
          <Table label="Members" bare>
            <THead>
              <TR>
                <TH>Member</TH>
                <TH>Role</TH>
                <TH>Joined</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {members.data.map((m) => {
                // Only owners can change an owner's role; nobody changes their own here.
                const editable =
                  canUpdate && !m.isYou && (m.role !== "owner" || actorRole === "owner");
                return (
                  <TR key={m.id} data-testid="member-row">
                    <TD>
                      <div className="flex items-center gap-3">
                        <Avatar label={m.name || m.email} />
                        <div className="min-w-0">
                          <div className="flex items-center gap-2 font-medium text-zinc-900">
                            <span className="truncate">{m.name || m.email}</span>
                            {m.isYou ? <Badge>You</Badge> : null}
                          </div>
                          {m.name ? <div className="truncate text-zinc-500">{m.email}</div> : null}
                        </div>
                      </div>
                    </TD>
                    <TD>
                      {editable ? (
                        <Select
                          aria-label={`Role of ${m.name || m.email}`}
                          value={m.role}
                          disabled={changeRole.isPending}
                          className="w-36"
                          onChange={(e) =>
                            changeRole.mutate({
                              orgSlug,
                              memberId: m.id,
                              role: e.target.value as MemberRole,
                            })
                          }
                        >
                          {ROLE_OPTIONS.filter(
                            (r) => assignable.has(r.value) || r.value === m.role,
                          ).map((r) => (
                            <option key={r.value} value={r.value}>
                              {r.label}
                            </option>
                          ))}
                        </Select>
                      ) : (
                        <RoleBadge role={m.role} />
                      )}
                    </TD>
                    <TD>
                      <Time value={m.createdAt} mode="date" />
                    </TD>
                    <TD className="text-right">
                      {m.isYou ? (
                        <Button variant="ghost" size="sm" onClick={() => setLeaving(true)}>
                          Leave
                        </Button>
                      ) : canRemove && (m.role !== "owner" || actorRole === "owner") ? (
                        <Button
                          variant="ghost-danger"
                          size="sm"
                          aria-label={`Remove ${m.name || m.email}`}
                          onClick={() => setRemoving(m)}
                        >
                          Remove
                        </Button>
                      ) : null}
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        </div>
      )}

      <ConfirmDialog
        open={removing !== null}
        title="Remove member?"
        confirmLabel="Remove"
        pending={remove.isPending}
        error={remove.error ? errorMessage(remove.error) : null}
        onConfirm={() => removing && remove.mutate({ orgSlug, memberId: removing.id })}
        onClose={() => {
          remove.reset();
          setRemoving(null);
        }}
      >
        <p>
          <strong className="font-medium text-zinc-900">{removing?.name || removing?.email}</strong>{" "}
          loses access to {orgName} immediately. API keys they created keep working until revoked.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={leaving}
        title={`Leave ${orgName}?`}
        confirmLabel="Leave organization"
        pending={leave.isPending}
        error={leave.error ? errorMessage(leave.error) : null}
        onConfirm={() => leave.mutate({ orgSlug })}
        onClose={() => {
          leave.reset();
          setLeaving(false);
        }}
      >
        <p>You lose access to this organization until someone invites you again.</p>
      </ConfirmDialog>
    </Card>
  );
}
