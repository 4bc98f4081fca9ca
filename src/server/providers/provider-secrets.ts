import { env } from "~/env";
import { deriveSecretBoxKey, openSecret, sealSecret } from "~/lib/secret-box";

const state = globalThis as unknown as { __switchyardSecretBoxKey?: Buffer };

function instanceKey(): Buffer {
  state.__switchyardSecretBoxKey ??= deriveSecretBoxKey(env().SWITCHYARD_ENCRYPTION_KEY);
  return state.__switchyardSecretBoxKey;
}

/** Associated data: a provider key opens only in the row (org + provider id) it was sealed for. */
function context(orgId: string, providerId: string): string {
  return `org_providers.api_key:${orgId}:${providerId}`;
}

/** Encrypts an org provider's API key for storage. */
export function sealProviderApiKey(
  apiKey: string,
  where: { orgId: string; providerId: string },
): string {
  return sealSecret(apiKey, instanceKey(), context(where.orgId, where.providerId));
}

/** Decrypts a stored org provider API key (throws `SecretBoxError` if it does not open). */
export function openProviderApiKey(
  sealed: string,
  where: { orgId: string; providerId: string },
): string {
  return openSecret(sealed, instanceKey(), context(where.orgId, where.providerId));
}
