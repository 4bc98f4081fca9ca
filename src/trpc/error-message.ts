/**
 * The message to show a person for a failed tRPC call. Server errors already carry readable
 * messages (validation, permission, conflicts); network failures get a generic line.
 */
export function errorMessage(error: unknown): string {
  if (!error) return "Something went wrong.";
  const err = error as {
    message?: string;
    data?: {
      code?: string;
      zodError?: {
        fieldErrors?: Record<string, string[] | undefined>;
        formErrors?: string[];
      } | null;
    };
  };
  const zod = err.data?.zodError;
  if (zod) {
    const first =
      zod.formErrors?.[0] ??
      Object.values(zod.fieldErrors ?? {})
        .flat()
        .find(Boolean);
    if (first) return first;
  }
  if (err.message === "Failed to fetch" || err.message === "fetch failed") {
    return "Cannot reach the server. Check your connection and try again.";
  }
  if (err.data?.code === "INTERNAL_SERVER_ERROR")
    return "Something went wrong on the server. Try again.";
  return err.message || "Something went wrong.";
}

/** The tRPC error code of a failed call (`FORBIDDEN`, `NOT_FOUND`, …), if any. */
export function errorCode(error: unknown): string | undefined {
  return (error as { data?: { code?: string } } | null)?.data?.code;
}

/** Field errors from the server's zod validation, keyed by input field. */
export function fieldErrors(error: unknown): Record<string, string | undefined> {
  const fields = (
    error as {
      data?: { zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null };
    } | null
  )?.data?.zodError?.fieldErrors;
  const out: Record<string, string | undefined> = {};
  for (const [key, messages] of Object.entries(fields ?? {})) out[key] = messages?.[0];
  return out;
}
