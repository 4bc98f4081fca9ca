"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
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
    <Dialog
      open={route !== null}
      onClose={close}
      size="sm"
      title={`Delete route ${route?.name ?? ""}?`}
      testId="delete-route-dialog"
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button
            variant="danger"
            loading={remove.isPending}
            onClick={() => {
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
            Delete route
          </Button>
        </>
      }
    >
      <div className="space-y-3 text-sm text-zinc-700">
        <p>
          Requests for <code className="font-mono">{route?.name}</code> will be treated as a plain
          model name from now on (and fail unless a provider offers that model). Its last definition
          stays in the audit log.
        </p>
        {remove.error ? <Alert tone="danger">{errorMessage(remove.error)}</Alert> : null}
      </div>
    </Dialog>
  );
}
