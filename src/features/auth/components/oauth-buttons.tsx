"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "~/components/button";

export function OAuthButtons({
  providers,
  callbackUrl,
}: {
  providers: { id: string; name: string }[];
  callbackUrl: string;
}) {
  const [pending, setPending] = useState<string | null>(null);
  if (providers.length === 0) return null;
  return (
    <div className="space-y-2">
      {providers.map((p) => (
        <Button
          key={p.id}
          variant="secondary"
          className="w-full"
          loading={pending === p.id}
          disabled={pending !== null}
          onClick={() => {
            setPending(p.id);
            void signIn(p.id, { redirectTo: callbackUrl });
          }}
        >
          Continue with {p.name}
        </Button>
      ))}
      <div className="relative py-2 text-center text-xs text-zinc-500">
        <span aria-hidden="true" className="absolute inset-x-0 top-1/2 h-px bg-zinc-200" />
        <span className="relative bg-white px-2">or with email</span>
      </div>
    </div>
  );
}
