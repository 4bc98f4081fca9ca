"use client";

import { useEffect } from "react";
import { Button } from "~/components/button";
import { AlertTriangleIcon } from "~/components/icons";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main className="flex min-h-[60dvh] flex-col items-center justify-center px-6 text-center">
      <div className="flex size-10 items-center justify-center rounded-full bg-red-50 text-red-600">
        <AlertTriangleIcon className="size-5" />
      </div>
      <h1 className="mt-4 text-xl font-semibold text-zinc-900">Something went wrong</h1>
      <p className="mt-2 max-w-md text-sm text-zinc-600">
        The page could not be loaded. Try again; if it keeps happening, check the server logs
        {error.digest ? (
          <>
            {" "}
            for <code className="rounded bg-zinc-100 px-1">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <Button className="mt-6" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </main>
  );
}
