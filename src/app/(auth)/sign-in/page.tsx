import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { env } from "~/env";
import { AuthCard } from "~/features/auth/components/auth-card";
import { safeReturnPath } from "~/features/auth/components/return-path";
import { SignInForm } from "~/features/auth/components/sign-in-form";
import { getServerCaller, getSessionUser } from "~/trpc/server";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<SearchParams>;
}) {
  const params = await searchParams;
  const invite = first(params.invite);
  const callbackUrl =
    safeReturnPath(params.callbackUrl) ?? (invite ? `/invite/${encodeURIComponent(invite)}` : "/");
  if (await getSessionUser()) redirect(callbackUrl);

  const methods = await (await getServerCaller()).auth.methods();
  const signUpHref = invite ? `/sign-up?invite=${encodeURIComponent(invite)}` : "/sign-up";
  return (
    <AuthCard
      title="Sign in to Switchyard"
      description={invite ? "Sign in to accept your invite." : "Welcome back."}
      footer={
        methods.signupAllowed || invite ? (
          <>
            New here?{" "}
            <Link className="font-medium text-brand-700 hover:underline" href={signUpHref}>
              Create an account
            </Link>
          </>
        ) : (
          "Need an account? Ask an administrator of your organization for an invite."
        )
      }
    >
      <SignInForm
        oauth={methods.oauth}
        callbackUrl={callbackUrl}
        windowMinutes={env().SWITCHYARD_SIGNIN_WINDOW_MINUTES}
        initialError={{ error: first(params.error), code: first(params.code) }}
        initialEmail={first(params.email)}
      />
    </AuthCard>
  );
}
