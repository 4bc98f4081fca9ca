import type { Metadata } from "next";
import Link from "next/link";
import { Alert } from "~/components/alert";
import { Badge } from "~/components/badge";
import { buttonClasses } from "~/components/button";
import { AuthCard } from "~/features/auth/components/auth-card";
import { InviteAcceptance } from "~/features/auth/components/invite-acceptance";
import { getServerCaller, getSessionUser } from "~/trpc/server";

export const metadata: Metadata = { title: "Invitation" };
export const dynamic = "force-dynamic";

const STATUS_TEXT = {
  accepted: "This invite has already been used.",
  expired: "This invite has expired.",
  revoked: "This invite was revoked.",
} as const;

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [caller, user] = await Promise.all([getServerCaller(), getSessionUser()]);
  const invite = await caller.invites.lookup({ token }).catch(() => null);

  if (!invite) {
    return (
      <AuthCard title="Invite not found">
        <p className="text-sm text-zinc-600">
          This invite link is not valid. Check that you copied the whole link, or ask for a new
          invite.
        </p>
        <Link href="/" className={buttonClasses("secondary") + " mt-5 w-full"}>
          Go to the console
        </Link>
      </AuthCard>
    );
  }

  const encoded = encodeURIComponent(token);
  return (
    <AuthCard
      title={`Join ${invite.orgName}`}
      description="You have been invited to a Switchyard organization."
    >
      <dl className="mb-6 divide-y divide-zinc-100 rounded-lg border border-zinc-200 text-sm">
        <div className="flex items-center justify-between gap-4 px-4 py-2.5">
          <dt className="text-zinc-500">Organization</dt>
          <dd className="font-medium text-zinc-900">{invite.orgName}</dd>
        </div>
        <div className="flex items-center justify-between gap-4 px-4 py-2.5">
          <dt className="text-zinc-500">Role</dt>
          <dd>
            <Badge tone="brand" className="capitalize">
              {invite.role}
            </Badge>
          </dd>
        </div>
        <div className="flex items-center justify-between gap-4 px-4 py-2.5">
          <dt className="text-zinc-500">Invited email</dt>
          <dd className="truncate text-zinc-900">{invite.email}</dd>
        </div>
      </dl>
      {invite.status !== "pending" ? (
        <Alert tone="warning">{STATUS_TEXT[invite.status]} Ask for a new invite.</Alert>
      ) : user ? (
        <InviteAcceptance token={token} inviteEmail={invite.email} userEmail={user.email} />
      ) : (
        <div className="space-y-2">
          <Link
            href={`/sign-up?invite=${encoded}`}
            className={buttonClasses("primary") + " w-full"}
          >
            Create an account
          </Link>
          <Link
            href={`/sign-in?invite=${encoded}&email=${encodeURIComponent(invite.email)}`}
            className={buttonClasses("secondary") + " w-full"}
          >
            I already have an account
          </Link>
        </div>
      )}
    </AuthCard>
  );
}
