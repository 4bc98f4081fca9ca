import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { Alert } from "~/components/alert";
import { AuthCard } from "~/features/auth/components/auth-card";
import { SignUpForm } from "~/features/auth/components/sign-up-form";
import { getServerCaller, getSessionUser } from "~/trpc/server";

export const metadata: Metadata = { title: "Create account" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SignUpPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const token = first((await searchParams).invite)?.trim() || undefined;
  if (await getSessionUser()) redirect(token ? `/invite/${encodeURIComponent(token)}` : "/");

  const caller = await getServerCaller();
  const [methods, invite] = await Promise.all([
    caller.auth.methods(),
    token ? caller.invites.lookup({ token }).catch(() => null) : Promise.resolve(null),
  ]);
  const signInHref = token ? `/sign-in?invite=${encodeURIComponent(token)}` : "/sign-in";
  const footer = (
    <>
      Already have an account?{" "}
      <Link className="font-medium text-brand-700 hover:underline" href={signInHref}>
        Sign in
      </Link>
    </>
  );

  if (token && (!invite || invite.status !== "pending")) {
    return (
      <AuthCard title="Invite unavailable" footer={footer}>
        <Alert tone="warning">
          This invite link is {invite ? `${invite.status}` : "not valid"}. Ask the person who
          invited you for a new one.
        </Alert>
      </AuthCard>
    );
  }

  if (!token && !methods.signupAllowed) {
    return (
      <AuthCard title="Sign-up is closed" footer={footer}>
        <p className="text-sm text-zinc-600">
          New accounts on this Switchyard server are created by invitation. Ask an administrator of
          your organization to invite you, then open the link from the invite.
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title={invite ? `Join ${invite.orgName}` : "Create your account"}
      description={
        invite ? (
          <>
            You were invited as <strong className="font-medium text-zinc-800">{invite.role}</strong>
            . Create an account to join.
          </>
        ) : (
          "Start a workspace for your team. You'll be its owner."
        )
      }
      footer={footer}
    >
      <SignUpForm
        invite={
          invite && token
            ? { token, email: invite.email, orgName: invite.orgName, role: invite.role }
            : null
        }
      />
    </AuthCard>
  );
}
