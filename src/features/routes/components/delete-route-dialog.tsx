"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { useToast } from "~/components/toast";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

export function DeleteRouteDialog({
  orgSlug,
  route,
  onClose,
}: {
  orgSlug: string;
  route: { id: string; name: string; version: number } | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = useMutation(
    trpc.routes.delete.mutationOptions({
      onSettled: () =>
        queryClient.invalidateQueries({ queryKey: trpc.routes.list.queryKey({ orgSlug }) }),
    }),
  );
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      open={route !== null}
      onClose={close}
      title={`Delete route ${route?.name ?? ""}?`}
      testId="delete-route-dialog"
      confirmLabel="Delete route"
      pending={remove.isPending}
      error={remove.error ? errorMessage(remove.error) : null}
      onConfirm={() => {
        if (!route) return;
        remove.mutate(
          { orgSlug, id: route.id, version: route.version },
          {
            onSuccess: () => {
              toast.success(`Deleted route ${route.name}.`);
              close();
            },
          },
        );
      }}
    >
      <p>
        Requests for <code className="font-mono">{route?.name}</code> will be treated as a plain
        model name from now on (and fail unless a provider offers that model). Its last definition
        stays in the audit log.
      </p>
    </ConfirmDialog>
  );
}
