"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Field, Input } from "~/components/input";
import { OAuthButtons } from "./oauth-buttons";

/** Messages for the `error` Auth.js appends when it sends someone back to the sign-in page. */
const AUTH_ERRORS: Record<string, string> = {
  OAuthAccountNotLinked: "This email is already registered with another sign-in method.",
  AccessDenied: "Access was denied by the identity provider.",
  Configuration: "Sign-in is misconfigured on this server. Ask an administrator to check the logs.",
  Verification: "The sign-in link is no longer valid.",
};

export function throttledMessage(minutes: number): string {
  return `Too many attempts, try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.`;
}

export function SignInForm({
  oauth,
  callbackUrl,
  windowMinutes,
  initialError,
  initialEmail,
}: {
  oauth: { id: string; name: string }[];
  callbackUrl: string;
  windowMinutes: number;
  initialError?: { error?: string; code?: string };
  initialEmail?: string;
}) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(() => {
    if (!initialError?.error) return null;
    if (initialError.code === "throttled") return throttledMessage(windowMinutes);
    if (initialError.error === "CredentialsSignin") return "Invalid email or password.";
    return AUTH_ERRORS[initialError.error] ?? "Sign-in failed. Try again.";
  });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      const result = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (!result || result.error) {
        setError(
          result?.code === "throttled"
            ? throttledMessage(windowMinutes)
            : "Invalid email or password.",
        );
        setPending(false);
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      setError("Cannot reach the server. Check your connection and try again.");
      setPending(false);
    }
  }

  return (
    <div className="space-y-4">
      <OAuthButtons providers={oauth} callbackUrl={callbackUrl} />
      <form onSubmit={onSubmit} className="space-y-4" noValidate={false}>
        {error ? <Alert tone="danger">{error}</Alert> : null}
        <Field label="Email">
          {(control) => (
            <Input
              {...control}
              name="email"
              type="email"
              autoComplete="email"
              required
              defaultValue={initialEmail}
              autoFocus={!initialEmail}
            />
          )}
        </Field>
        <Field label="Password">
          {(control) => (
            <Input
              {...control}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              autoFocus={Boolean(initialEmail)}
            />
          )}
        </Field>
        <Button type="submit" className="w-full" loading={pending}>
          Sign in
        </Button>
      </form>
    </div>
  );
}
