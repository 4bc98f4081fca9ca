import { isIP } from "node:net";
import { PRIVATE_UPSTREAM_CODE } from "../../lib/net/public-address";
import { ProviderError } from "../types";

/** How much of an upstream error body is read and kept (for the message and the logs). */
export const ERROR_BODY_LIMIT = 64 * 1024;

/** Replaces every occurrence of the upstream credential in `text` (messages echo keys back). */
export function redactSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4 || !text.includes(secret)) return text;
  return text.split(secret).join("***");
}

/** `Retry-After` (seconds or an HTTP date) and OpenAI's `retry-after-ms`, in milliseconds. */
export function retryAfterMs(
  headers: Record<string, string | string[] | undefined>,
  now: number = Date.now(),
): number | null {
  const ms = first(headers["retry-after-ms"]);
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = first(headers["retry-after"]);
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/**
 * A non-2xx upstream answer as a ProviderError. OpenAI-shaped bodies (`{error: {message, type,
 * param, code}}`) keep their fields; anything else becomes a short excerpt. The credential is
 * redacted from everything kept.
 */
export function httpError(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  bodyText: string,
  secret: string | undefined,
): ProviderError {
  const text = redactSecret(bodyText, secret);
  let message: string | null = null;
  let code: string | null = null;
  let type: string | null = null;
  let param: string | null = null;
  let raw: unknown = text;
  try {
    const parsed = JSON.parse(text) as unknown;
    raw = parsed;
    if (parsed && typeof parsed === "object") {
      const error = (parsed as { error?: unknown }).error;
      if (error && typeof error === "object") {
        const e = error as Record<string, unknown>;
        message = str(e.message);
        code = str(e.code) ?? (typeof e.code === "number" ? String(e.code) : null);
        type = str(e.type);
        param = str(e.param);
      } else if (typeof error === "string") {
        message = error;
      } else {
        message = str((parsed as { message?: unknown }).message);
      }
    }
  } catch {
    // Not JSON: an HTML error page from a proxy, plain text, …
  }
  if (message === null) {
    const excerpt = text.replace(/\s+/g, " ").trim().slice(0, 300);
    message = excerpt === "" ? `HTTP ${status}` : excerpt;
  }
  return new ProviderError({
    message,
    status,
    kind: "http",
    retryAfterMs: retryAfterMs(headers),
    code,
    type,
    param,
    raw,
  });
}

/** Which transport failures mean "nobody answered" (worth another target) vs. a broken exchange. */
const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "ECONNRESET",
  "EPIPE",
]);

/**
 * A connection refused because the upstream's address is not public (a provider that must reach
 * public addresses only). Names the host, never a resolved address, URL or credential. Not
 * retryable: the same host would be refused again.
 */
export function privateUpstreamRefused(hostname: string): ProviderError {
  // IPv6 literals reach here with brackets (from a URL) or without (from the socket layer).
  const bare = hostname.replace(/^\[|\]$/g, "");
  const host = isIP(bare) === 6 ? `[${bare}]` : bare;
  return new ProviderError({
    message: `refused to connect to ${host}: it is not a public address, and this instance does not call private upstreams`,
    status: 502,
    kind: "connect",
    isRetryable: false,
  });
}

/** A transport failure (undici / socket error) as a ProviderError. Never includes URLs or headers. */
export function transportError(
  err: unknown,
  phase: { responded: boolean; timeouts: { connectMs: number; idleMs: number } },
): ProviderError {
  if (err instanceof ProviderError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const codeText = typeof code === "string" ? code : "";
  if (codeText === PRIVATE_UPSTREAM_CODE) {
    const hostname = (err as { hostname?: unknown }).hostname;
    return privateUpstreamRefused(typeof hostname === "string" ? hostname : "the upstream");
  }
  if (codeText === "UND_ERR_CONNECT_TIMEOUT") {
    return new ProviderError({
      message: `the upstream did not accept a connection within ${phase.timeouts.connectMs} ms`,
      status: 504,
      kind: "timeout",
    });
  }
  if (codeText === "UND_ERR_BODY_TIMEOUT") {
    return new ProviderError({
      message: `the upstream sent nothing for ${phase.timeouts.idleMs} ms`,
      status: 504,
      kind: "timeout",
    });
  }
  if (codeText === "UND_ERR_HEADERS_TIMEOUT") {
    return new ProviderError({
      message: "the upstream did not answer in time",
      status: 504,
      kind: "timeout",
    });
  }
  if (!phase.responded && CONNECT_CODES.has(codeText)) {
    return new ProviderError({
      message: `could not reach the upstream (${codeText})`,
      status: 502,
      kind: "connect",
    });
  }
  if (codeText === "UND_ERR_SOCKET" || CONNECT_CODES.has(codeText)) {
    return new ProviderError({
      message: phase.responded
        ? "the upstream closed the connection before the response was complete"
        : "the upstream closed the connection without answering",
      status: 502,
      kind: "protocol",
    });
  }
  return new ProviderError({
    message: `the upstream request failed (${codeText || (err instanceof Error ? err.name : "unknown error")})`,
    status: 502,
    kind: "protocol",
  });
}
