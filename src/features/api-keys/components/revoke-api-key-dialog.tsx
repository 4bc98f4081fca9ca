"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { useToast } from "~/components/toast";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { maskedKey } from "./key-status-badge";

export function RevokeApiKeyDialog({
  orgSlug,
  apiKey,
  onClose,
}: {
  orgSlug: string;
  apiKey: { id: string; name: string; prefix: string; last4: string } | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey({ orgSlug }) });
        toast.success(`Key “${apiKey?.name}” revoked.`);
        revoke.reset();
        onClose();
      },
    }),
  );
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <Dialog
      open={apiKey !== null}
      onClose={close}
      size="sm"
      title="Revoke API key?"
      testId="revoke-key-dialog"
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button
            variant="danger"
            loading={revoke.isPending}
            onClick={() => apiKey && revoke.mutate({ orgSlug, id: apiKey.id })}
          >
            Revoke key
          </Button>
        </>
      }
    >
      {apiKey ? (
        <div className="space-y-3 text-sm text-zinc-700">
          <p>
            <strong className="font-medium text-zinc-900">{apiKey.name}</strong>{" "}
            <code className="text-zinc-600">{maskedKey(apiKey.prefix, apiKey.last4)}</code> stops
            working within a few seconds. Apps still using it get <code>401 Unauthorized</code>.
            This cannot be undone.
          </p>
          {revoke.error ? <Alert tone="danger">{errorMessage(revoke.error)}</Alert> : null}
        </div>
      ) : null}
    </Dialog>
  );
}
