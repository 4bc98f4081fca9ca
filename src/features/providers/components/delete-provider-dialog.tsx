"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { useToast } from "~/components/toast";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

export function DeleteProviderDialog({
  orgSlug,
  provider,
  onClose,
}: {
  orgSlug: string;
  provider: { id: string; name: string } | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = useMutation(
    trpc.providers.delete.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.providers.list.queryKey({ orgSlug }) }),
    }),
  );
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Dialog
      open={provider !== null}
      onClose={close}
      size="sm"
      title={`Delete provider ${provider?.name ?? ""}?`}
      testId="delete-provider-dialog"
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button
            variant="danger"
            loading={remove.isPending}
            onClick={() => {
              if (!provider) return;
              remove.mutate(
                { orgSlug, id: provider.id },
                {
                  onSuccess: () => {
                    toast.success(`Deleted provider ${provider.name}.`);
                    close();
                  },
                },
              );
            }}
          >
            Delete provider
          </Button>
        </>
      }
    >
      <div className="space-y-3 text-sm text-zinc-700">
        <p>
          Requests for <code className="font-mono">{provider?.name}/…</code> models will fail from
          now on, and its stored API key is erased. This cannot be undone.
        </p>
        {remove.error ? <Alert tone="danger">{errorMessage(remove.error)}</Alert> : null}
      </div>
    </Dialog>
  );
}
