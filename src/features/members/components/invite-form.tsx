"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Card } from "~/components/card";
import { CopyButton } from "~/components/copy-button";
import { MailIcon } from "~/components/icons";
import { Field, Input } from "~/components/input";
import { Select } from "~/components/select";
import { errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { assignableRoles, type MemberRole } from "./roles";

export function InviteForm({ orgSlug, actorRole }: { orgSlug: string; actorRole: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [sent, setSent] = useState<{ email: string; inviteUrl: string; emailSent: boolean } | null>(
    null,
  );
  const invite = useMutation(
    trpc.invites.create.mutationOptions({
      onSuccess: async (result, input) => {
        setSent({ email: input.email, inviteUrl: result.inviteUrl, emailSent: result.emailSent });
        await queryClient.invalidateQueries({ queryKey: trpc.invites.list.queryKey({ orgSlug }) });
      },
    }),
  );
  const errors = fieldErrors(invite.error);
  const roles = assignableRoles(actorRole);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSent(null);
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    invite.mutate(
      {
        orgSlug,
        email: String(form.get("email") ?? ""),
        role: String(form.get("role") ?? "developer") as MemberRole,
      },
      { onSuccess: () => formElement.reset() },
    );
  }

  return (
    <Card
      id="invite"
      title="Invite a teammate"
      description="They get a single-use link to join this organization with the role you choose."
    >
      <form onSubmit={onSubmit} className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <Field label="Email" error={errors.email} className="flex-1">
          {(control) => (
            <Input
              {...control}
              name="email"
              type="email"
              required
              placeholder="teammate@example.com"
              autoComplete="off"
            />
          )}
        </Field>
        <Field label="Role" error={errors.role} className="sm:w-48">
          {(control) => (
            <Select {...control} name="role" defaultValue="developer">
              {roles.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <div className="sm:pt-6">
          <Button type="submit" icon={<MailIcon />} loading={invite.isPending} className="w-full">
            Send invite
          </Button>
        </div>
      </form>
      {invite.error && !errors.email && !errors.role ? (
        <Alert tone="danger" className="mt-4">
          {errorMessage(invite.error)}
        </Alert>
      ) : null}
      {sent ? (
        <div
          className="mt-4 space-y-2 rounded-md border border-emerald-200 bg-emerald-50 p-3.5"
          data-testid="invite-link"
          role="status"
        >
          <p className="text-sm text-emerald-900">
            {sent.emailSent ? (
              <>
                Invite emailed to <strong>{sent.email}</strong>. You can also share the link below.
              </>
            ) : (
              <>
                Invite created for <strong>{sent.email}</strong>. Email is not configured on this
                server, so send them this link yourself. It is shown only once.
              </>
            )}
          </p>
          <div className="flex gap-2">
            <Input
              readOnly
              aria-label="Invite link"
              value={sent.inviteUrl}
              onFocus={(e) => e.currentTarget.select()}
              className="font-mono text-xs"
            />
            <CopyButton value={sent.inviteUrl} size="md" />
          </div>
        </div>
      ) : null}
    </Card>
  );
}
