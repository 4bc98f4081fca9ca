"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Card } from "~/components/card";
import { CopyButton } from "~/components/copy-button";
import { Dialog } from "~/components/dialog";
import { Field, Input } from "~/components/input";
import { PageHeader } from "~/components/page-header";
import { Time } from "~/components/time";
import { useToast } from "~/components/toast";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage, fieldErrors } from "~/trpc/error-message";
import { RequestLogRetentionCard } from "./request-log-retention-card";
import { useTRPC } from "~/trpc/react";

function RenameForm() {
  const org = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const [name, setName] = useState(org.name);
  const rename = useMutation(
    trpc.orgs.rename.mutationOptions({
      onSuccess: () => {
        toast.success("Organization renamed.");
        router.refresh();
      },
    }),
  );
  const canUpdate = org.can("org:update");
  const errors = fieldErrors(rename.error);
  const unchanged = name.trim() === org.name;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    rename.mutate({ orgSlug: org.slug, name });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <Field
        label="Organization name"
        hint={
          canUpdate
            ? "Shown in the console and in invites."
            : `Your role (${org.role}) cannot rename the organization.`
        }
        error={errors.name ?? (rename.error && !errors.name ? errorMessage(rename.error) : null)}
      >
        {(control) => (
          <Input
            {...control}
            value={name}
            maxLength={100}
            required
            disabled={!canUpdate}
            onChange={(e) => setName(e.target.value)}
            className="max-w-md"
          />
        )}
      </Field>
      {canUpdate ? (
        <Button type="submit" loading={rename.isPending} disabled={unchanged || !name.trim()}>
          Save
        </Button>
      ) : null}
    </form>
  );
}

function DeleteOrgDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const [confirm, setConfirm] = useState("");
  const remove = useMutation(
    trpc.orgs.delete.mutationOptions({
      onSuccess: () => {
        router.replace("/");
        router.refresh();
      },
    }),
  );
  const close = () => {
    setConfirm("");
    remove.reset();
    onClose();
  };
  const matches = confirm.trim() === org.slug;
  return (
    <Dialog
      open={open}
      onClose={close}
      size="sm"
      title={`Delete ${org.name}?`}
      description="This permanently deletes the organization, its members' access and all of its API keys."
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (matches) remove.mutate({ orgSlug: org.slug, confirmSlug: confirm.trim() });
        }}
        className="space-y-4"
      >
        <Alert tone="danger">
          Every API key of this organization stops working. This cannot be undone.
        </Alert>
        {remove.error ? <Alert tone="danger">{errorMessage(remove.error)}</Alert> : null}
        <Field
          label={
            <>
              Type <code className="rounded bg-zinc-100 px-1 font-semibold">{org.slug}</code> to
              confirm
            </>
          }
        >
          {(control) => (
            <Input
              {...control}
              value={confirm}
              autoComplete="off"
              spellCheck={false}
              autoFocus
              onChange={(e) => setConfirm(e.target.value)}
            />
          )}
        </Field>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={!matches} loading={remove.isPending}>
            Delete organization
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function LeaveOrgDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const leave = useMutation(
    trpc.members.leave.mutationOptions({
      onSuccess: () => {
        router.replace("/");
        router.refresh();
      },
    }),
  );
  const close = () => {
    leave.reset();
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      size="sm"
      title={`Leave ${org.name}?`}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button
            variant="danger"
            loading={leave.isPending}
            onClick={() => leave.mutate({ orgSlug: org.slug })}
          >
            Leave organization
          </Button>
        </>
      }
    >
      <div className="space-y-3 text-sm text-zinc-700">
        <p>You lose access to this organization until someone invites you again.</p>
        {leave.error ? <Alert tone="danger">{errorMessage(leave.error)}</Alert> : null}
      </div>
    </Dialog>
  );
}

export function OrgSettingsView({ createdAt }: { createdAt: Date }) {
  const org = useOrg();
  const [dialog, setDialog] = useState<"delete" | "leave" | null>(null);
  const canDelete = org.can("org:delete");
  return (
    <>
      <PageHeader title="Settings" description="General settings of this organization." />
      <div className="space-y-6">
        <Card title="General">
          <div className="space-y-6">
            <RenameForm />
            <dl className="grid gap-4 border-t border-zinc-100 pt-5 text-sm sm:grid-cols-3">
              <div>
                <dt className="text-zinc-500">Slug</dt>
                <dd className="mt-1 flex items-center gap-2">
                  <code className="font-medium text-zinc-900">{org.slug}</code>
                  <CopyButton value={org.slug} variant="ghost" />
                </dd>
              </div>
              <div>
                <dt className="text-zinc-500">Your role</dt>
                <dd className="mt-1 font-medium text-zinc-900 capitalize">{org.role}</dd>
              </div>
              <div>
                <dt className="text-zinc-500">Created</dt>
                <dd className="mt-1 font-medium text-zinc-900">
                  <Time value={createdAt} mode="date" />
                </dd>
              </div>
            </dl>
          </div>
        </Card>

        <RequestLogRetentionCard />

        <Card title="Danger zone" tone="danger" id="danger-zone">
          <ul className="divide-y divide-zinc-100">
            <li className="flex flex-wrap items-center justify-between gap-4 pb-4">
              <div>
                <p className="font-medium text-zinc-900">Leave organization</p>
                <p className="text-sm text-zinc-600">
                  Remove yourself from {org.name}. The last owner cannot leave.
                </p>
              </div>
              <Button variant="secondary" onClick={() => setDialog("leave")}>
                Leave
              </Button>
            </li>
            <li className="flex flex-wrap items-center justify-between gap-4 pt-4">
              <div>
                <p className="font-medium text-zinc-900">Delete organization</p>
                <p className="text-sm text-zinc-600">
                  {canDelete
                    ? "Permanently delete this organization, its members' access and its API keys."
                    : "Only owners can delete the organization."}
                </p>
              </div>
              {canDelete ? (
                <Button variant="danger" onClick={() => setDialog("delete")}>
                  Delete organization
                </Button>
              ) : null}
            </li>
          </ul>
        </Card>
      </div>
      <DeleteOrgDialog open={dialog === "delete"} onClose={() => setDialog(null)} />
      <LeaveOrgDialog open={dialog === "leave"} onClose={() => setDialog(null)} />
    </>
  );
}
