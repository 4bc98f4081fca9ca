"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { CopyButton } from "~/components/copy-button";
import { Field, Input } from "~/components/input";
import { useToast } from "~/components/toast";
import { errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { LimitSettingsView } from "../server/get-limit-settings";

/** The alert webhook URL, a test send, and the signing secret (reveal, rotate). */
export function WebhookSettings({
  orgSlug,
  settings,
  canWrite,
}: {
  orgSlug: string;
  settings: LimitSettingsView;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [url, setUrl] = useState(settings.budgetAlertWebhookUrl ?? "");
  const [secret, setSecret] = useState<string | null>(null);
  const [rotating, setRotating] = useState(false);
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.limits.overview.queryKey({ orgSlug }) });
  const save = useMutation(
    trpc.limits.updateSettings.mutationOptions({
      onSuccess: async (saved) => {
        await refresh();
        toast.success(
          saved.budgetAlertWebhookUrl ? "Saved the webhook URL." : "Removed the webhook URL.",
        );
      },
    }),
  );
  const test = useMutation(trpc.limits.sendTestAlert.mutationOptions());
  const reveal = useMutation(
    trpc.limits.revealWebhookSecret.mutationOptions({ onSuccess: (r) => setSecret(r.secret) }),
  );
  const rotate = useMutation(
    trpc.limits.rotateWebhookSecret.mutationOptions({
      onSuccess: async (r) => {
        setSecret(r.secret);
        setRotating(false);
        await refresh();
        toast.success("Rotated the signing secret; the old one no longer verifies.");
      },
    }),
  );
  const errors = fieldErrors(save.error);
  const saved = settings.budgetAlertWebhookUrl;
  const dirty = url.trim() !== (saved ?? "");

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    test.reset();
    save.mutate({ orgSlug, budgetAlertWebhookUrl: url });
  }

  return (
    <div className="space-y-3">
      <form onSubmit={onSubmit} className="space-y-3">
        <Field
          label="Alert webhook URL"
          optional
          hint="Each alert is POSTed here as JSON, signed with an x-switchyard-signature header (t=…,v1=HMAC-SHA256 of “t.body”). Private and metadata addresses are refused unless this server allows them."
          error={
            errors.budgetAlertWebhookUrl ??
            (save.error && !errors.budgetAlertWebhookUrl ? errorMessage(save.error) : null)
          }
        >
          {(control) => (
            <div className="flex flex-wrap gap-2">
              <Input
                {...control}
                type="url"
                name="budgetAlertWebhookUrl"
                className="min-w-64 flex-1 font-mono"
                placeholder="https://hooks.example.com/switchyard"
                disabled={!canWrite}
                value={url}
                onChange={(e) => setUrl(e.target.value)}
              />
              {canWrite ? (
                <Button
                  type="submit"
                  variant="secondary"
                  loading={save.isPending}
                  disabled={!dirty}
                >
                  Save URL
                </Button>
              ) : null}
            </div>
          )}
        </Field>
      </form>
      {canWrite && saved ? (
        <div className="flex flex-wrap items-center gap-2">
          <Button
            size="sm"
            variant="secondary"
            loading={test.isPending}
            disabled={dirty}
            onClick={() => test.mutate({ orgSlug })}
          >
            Send test alert
          </Button>
          {secret === null ? (
            <Button
              size="sm"
              variant="ghost"
              loading={reveal.isPending}
              onClick={() => reveal.mutate({ orgSlug })}
            >
              Show signing secret
            </Button>
          ) : null}
          <Button size="sm" variant="ghost" onClick={() => setRotating(true)}>
            Rotate secret
          </Button>
        </div>
      ) : null}
      {test.data ? (
        test.data.status === "sent" ? (
          <Alert tone="success">Test alert delivered (HTTP {test.data.httpStatus}).</Alert>
        ) : (
          <Alert tone="danger">Test alert not delivered: {test.data.error}</Alert>
        )
      ) : null}
      {test.error ? <Alert tone="danger">{errorMessage(test.error)}</Alert> : null}
      {secret ? (
        <div className="flex flex-wrap items-center gap-2 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2">
          <code className="min-w-0 flex-1 font-mono text-xs break-all text-zinc-800">{secret}</code>
          <CopyButton value={secret} />
        </div>
      ) : null}
      <ConfirmDialog
        open={rotating}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        pending={rotate.isPending}
        error={rotate.error ? errorMessage(rotate.error) : null}
        onClose={() => setRotating(false)}
        onConfirm={() => rotate.mutate({ orgSlug })}
      >
        <p>Alerts are signed with a new secret from now on; receivers must switch to it.</p>
      </ConfirmDialog>
    </div>
  );
}
