import { env } from "~/env";
import { deriveKeyHashSecret, hashApiKey } from "~/lib/api-key-secret";

const state = globalThis as unknown as { __switchyardKeyHashSecret?: Buffer };

/** HMAC of an API key with this instance's secret (derived once per process). */
export function hashApiKeyForInstance(key: string): string {
  state.__switchyardKeyHashSecret ??= deriveKeyHashSecret(env().SWITCHYARD_ENCRYPTION_KEY);
  return hashApiKey(key, state.__switchyardKeyHashSecret);
}
