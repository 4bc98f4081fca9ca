import { ProviderError, type JsonObject } from "../types";

/** Small readers for untrusted JSON: an unexpected shape yields `undefined`, never a throw. */

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const asString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export const asNumber = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;

/** A non-negative integer token count, or undefined. */
export const asCount = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? Math.max(0, Math.round(v)) : undefined;

/** Parses an upstream answer that must be a JSON object; anything else is a protocol failure. */
export function parseUpstreamObject(text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProviderError({
      message: "the upstream answered with a body that is not JSON",
      status: 502,
      kind: "protocol",
    });
  }
  if (!isObject(value)) {
    throw new ProviderError({
      message: "the upstream answered with JSON that is not an object",
      status: 502,
      kind: "protocol",
    });
  }
  return value;
}

/** A 400 for a request this adapter cannot translate (the client's fault, said in its terms). */
export function invalidRequest(message: string, param: string | null = null): ProviderError {
  return new ProviderError({
    message,
    status: 400,
    kind: "http",
    isRetryable: false,
    type: "invalid_request_error",
    code: "invalid_request",
    param,
  });
}
