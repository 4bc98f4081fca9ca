import { ProviderError } from "../types";

/**
 * Azure's content filter refusing a prompt: HTTP 400 with `error.code: "content_filter"` and an
 * `innererror` (`code: "ResponsibleAIPolicyViolation"`, `content_filter_result` per category).
 * It becomes a ProviderError with code `content_filter` that is never retried: another attempt,
 * or a fallback to another deployment of the same resource, would be filtered the same way.
 * (A completion filtered on the way *out* is a 200 with `finish_reason: "content_filter"`,
 * passed through like any answer.)
 */
export function asContentFilterError(err: unknown): unknown {
  if (!(err instanceof ProviderError) || err.kind !== "http" || err.status !== 400) return err;
  const inner = innerError(err.raw);
  if (err.code !== "content_filter" && inner?.code !== "ResponsibleAIPolicyViolation") return err;
  return new ProviderError({
    message: err.message,
    status: 400,
    kind: "http",
    isRetryable: false,
    code: "content_filter",
    type: err.type ?? "invalid_request_error",
    param: err.param,
    raw: err.raw,
  });
}

function innerError(raw: unknown): { code?: unknown } | null {
  const error = (raw as { error?: { innererror?: unknown } } | null)?.error;
  const inner = error && typeof error === "object" ? error.innererror : null;
  return inner && typeof inner === "object" ? (inner as { code?: unknown }) : null;
}
