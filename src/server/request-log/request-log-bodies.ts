import { redactSecrets } from "./redact-secrets";

/**
 * Body handling for request logs: bounded on the hot path, redacted and cut to size off it.
 */

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024;

/**
 * Characters kept beyond the byte limit when a body is first trimmed, so that a secret straddling
 * the limit is still whole (and redacted) before the final cut.
 */
const REDACTION_MARGIN = 512;

/**
 * Hot path, O(1) for ordinary bodies: an oversized body is cut to a bounded prefix right away so
 * a full queue cannot hold megabytes per entry. The prefix is copied so that it does not keep the
 * whole original string alive (V8 slices share their parent's memory).
 */
export function boundBody(body: string | null, maxBytes: number): string | null {
  if (body === null) return null;
  // A character is at least one UTF-8 byte: `maxBytes` characters cover the stored prefix.
  const keep = maxBytes + REDACTION_MARGIN;
  if (body.length <= keep) return body;
  return Buffer.from(body.slice(0, keep), "utf8").toString("utf8");
}

// Redaction lives in its own module (detector-based); re-exported for existing callers.
export { redactSecrets } from "./redact-secrets";

/** Postgres text cannot hold NUL characters; one would fail the whole batch. */
export function stripNul(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
}

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // Fast path: even at 3 bytes per UTF-16 unit (the maximum) it fits.
  if (text.length * 3 <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return { text, truncated: false };
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString("utf8"), truncated: true };
}

/** Off the hot path: redact, then cut to the byte limit. */
export function prepareBody(
  body: string | null,
  maxBytes: number,
): { text: string | null; truncated: boolean } {
  if (body === null) return { text: null, truncated: false };
  return truncateUtf8(stripNul(redactSecrets(body)), maxBytes);
}
