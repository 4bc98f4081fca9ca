"use client";

import { useEffect } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";

/** A failed page inside an organization keeps the console frame (navigation, org switcher). */
export default function OrgPageError({
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
    <div className="space-y-4">
      <Alert tone="danger" title="This page could not be loaded">
        Try again; if it keeps happening, check the server logs
        {error.digest ? (
          <>
            {" "}
            for <code>{error.digest}</code>
          </>
        ) : null}
        .
      </Alert>
      <Button variant="secondary" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
