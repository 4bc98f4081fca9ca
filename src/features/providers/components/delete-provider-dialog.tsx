"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ConfirmDialog } from "~/components/confirm-dialog";
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
    <ConfirmDialog
      open={provider !== null}
      onClose={close}
      title={`Delete provider ${provider?.name ?? ""}?`}
      testId="delete-provider-dialog"
      confirmLabel="Delete provider"
      pending={remove.isPending}
      error={remove.error ? errorMessage(remove.error) : null}
      onConfirm={() => {
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
      <p>
        Requests for <code className="font-mono">{provider?.name}/…</code> models will fail from now
        on, and its stored API key is erased. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
