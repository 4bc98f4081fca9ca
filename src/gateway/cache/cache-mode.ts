import type { JsonObject } from "~/providers/types";
import { GatewayError } from "../gateway-error";

/** Request header that chooses the cache mode; the response carries the outcome under the same name. */
export const CACHE_HEADER = "x-switchyard-cache";

/**
 * What a request does with the cache: `on` looks up and stores, `refresh` skips the lookup but
 * stores the new answer (replacing the entry), `off` neither looks up nor stores.
 */
export type CacheMode = "off" | "on" | "refresh";

/**
 * An org's (or route's) default when the request sends no header: `auto` caches only requests
 * that ask for deterministic output (`temperature: 0`, sent explicitly), `on` caches every
 * request, `off` none.
 */
export type CacheDefault = "auto" | "on" | "off";

const MODES: Readonly<Record<string, CacheMode>> = { off: "off", on: "on", refresh: "refresh" };

/**
 * The cache mode of one request: the `x-switchyard-cache` header when present (case-insensitive;
 * an empty value counts as absent), else the default. Throws a 400 `invalid_cache_header` for
 * any other header value.
 */
export function cacheModeFor(
  headerValue: string | null | undefined,
  body: JsonObject,
  orgDefault: CacheDefault,
): CacheMode {
  const raw = headerValue?.trim();
  if (raw) {
    const mode = MODES[raw.toLowerCase()];
    if (mode === undefined) {
      throw new GatewayError(
        "invalid_cache_header",
        400,
        `Invalid ${CACHE_HEADER} header ${JSON.stringify(raw.slice(0, 64))}: use "on", "off" or "refresh".`,
        CACHE_HEADER,
      );
    }
    return mode;
  }
  if (orgDefault === "on") return "on";
  if (orgDefault === "off") return "off";
  return body.temperature === 0 ? "on" : "off";
}
