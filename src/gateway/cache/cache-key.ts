import { createHash } from "node:crypto";
import type { JsonObject } from "~/providers/types";
import { canonicalJson } from "./canonical-json";

/** The endpoints whose answers can be cached. */
export type CacheEndpoint = "chat.completions" | "embeddings" | "completions";

/**
 * Request fields that never change what the model answers: who asks (`user`,
 * `safety_identifier`), bookkeeping (`metadata`, `store`), transport (`stream`, `stream_options`:
 * a streamed and a buffered request share one entry) and provider-side hints (`service_tier`,
 * OpenAI's prompt-cache routing keys). Every other field is part of the key, including ones this
 * list does not know: an unknown field can only cost a miss, never serve a wrong answer.
 */
export const FIELDS_OUTSIDE_KEY: ReadonlySet<string> = new Set([
  "user",
  "metadata",
  "stream",
  "stream_options",
  "store",
  "service_tier",
  "safety_identifier",
  "prompt_cache_key",
  "prompt_cache_retention",
]);

/** Bumped when the key material changes, so old entries simply stop matching. */
const KEY_VERSION = "sy-cache-1";

/** The request fields that make up the key (the body minus FIELDS_OUTSIDE_KEY). */
export function keyFields(body: JsonObject, omit?: string): JsonObject {
  // Null prototype: a `__proto__` member of the body stays an ordinary field of the key.
  const out = Object.create(null) as JsonObject;
  for (const name of Object.keys(body)) {
    if (FIELDS_OUTSIDE_KEY.has(name) || name === omit) continue;
    out[name] = body[name];
  }
  return out;
}

/** SHA-256 (base64url) of the version, the parts (NUL-separated) and a canonical JSON text. */
export function digest(parts: readonly string[], canonical: string): string {
  const hash = createHash("sha256");
  hash.update(KEY_VERSION);
  for (const part of parts) hash.update("\0").update(part);
  return hash.update("\0").update(canonical).digest("base64url");
}

/**
 * The exact-match cache key of a request: SHA-256 over the org, the endpoint and the canonical
 * JSON (sorted keys) of the fields that shape the answer. The org is part of the material, so
 * the same body sent by two orgs never shares an entry; `model` is the name the client asked
 * for (a route name stays a route name), so a route's entries follow the route.
 * Throws CanonicalJsonDepthError for a body nested beyond any real request.
 */
export function cacheKey(orgId: string, endpoint: CacheEndpoint, body: JsonObject): string {
  return digest([orgId, endpoint], canonicalJson(keyFields(body)));
}
