"use client";

import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Field, Input } from "~/components/input";
import { errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

export function SignUpForm({
  invite,
}: {
  /** Signing up through an invite joins that org instead of creating one. */
  invite?: { token: string; email: string; orgName: string; role: string } | null;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [signInError, setSignInError] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const signUp = useMutation(trpc.auth.signUp.mutationOptions());
  const errors = fieldErrors(signUp.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSignInError(null);
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    const orgName = String(form.get("orgName") ?? "").trim();
    let orgSlug: string;
    try {
      ({ orgSlug } = await signUp.mutateAsync({
        name: String(form.get("name") ?? ""),
        email,
        password,
        orgName: orgName || undefined,
        inviteToken: invite?.token,
      }));
    } catch {
      return; // shown from signUp.error
    }
    setSigningIn(true);
    const result = await signIn("credentials", { email, password, redirect: false }).catch(
      () => undefined,
    );
    if (!result || result.error) {
      setSigningIn(false);
      setSignInError("Your account was created, but signing in failed. Sign in to continue.");
      return;
    }
    router.replace(`/orgs/${orgSlug}`);
    router.refresh();
  }

  const generalError =
    signUp.error && Object.values(errors).every((e) => !e) ? errorMessage(signUp.error) : null;

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      {generalError ? <Alert tone="danger">{generalError}</Alert> : null}
      {signInError ? (
        <Alert tone="warning">
          {signInError}{" "}
          <a className="font-medium underline" href="/sign-in">
            Sign in
          </a>
        </Alert>
      ) : null}
      <Field label="Your name" error={errors.name}>
        {(control) => <Input {...control} name="name" autoComplete="name" required autoFocus />}
      </Field>
      <Field label="Work email" error={errors.email}>
        {(control) => (
          <Input
            {...control}
            name="email"
            type="email"
            autoComplete="email"
            required
            defaultValue={invite?.email}
          />
        )}
      </Field>
      <Field label="Password" hint="At least 8 characters." error={errors.password}>
        {(control) => (
          <Input
            {...control}
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
          />
        )}
      </Field>
      {invite ? null : (
        <Field
          label="Organization name"
          optional
          hint="Your team's workspace. You can rename it later."
          error={errors.orgName}
        >
          {(control) => (
            <Input {...control} name="orgName" autoComplete="organization" placeholder="Acme" />
          )}
        </Field>
      )}
      <Button type="submit" className="w-full" loading={signUp.isPending || signingIn}>
        {invite ? `Create account and join ${invite.orgName}` : "Create account"}
      </Button>
    </form>
  );
}
