"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

export function InviteAcceptance({
  token,
  inviteEmail,
  userEmail,
}: {
  token: string;
  inviteEmail: string;
  userEmail: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.invites.accept.mutationOptions({
      onSuccess: ({ orgSlug }) => {
        router.replace(`/orgs/${orgSlug}`);
        router.refresh();
      },
    }),
  );
  const otherEmail = inviteEmail.toLowerCase() !== userEmail.toLowerCase();
  return (
    <div className="space-y-4">
      {otherEmail ? (
        <Alert tone="warning">
          This invite was sent to <strong>{inviteEmail}</strong>, but you are signed in as{" "}
          <strong>{userEmail}</strong>.
        </Alert>
      ) : null}
      {accept.error ? <Alert tone="danger">{errorMessage(accept.error)}</Alert> : null}
      <Button
        className="w-full"
        loading={accept.isPending || accept.isSuccess}
        onClick={() => accept.mutate({ token })}
      >
        Accept invite
      </Button>
      <p className="text-center text-xs text-zinc-500">Signed in as {userEmail}</p>
    </div>
  );
}
