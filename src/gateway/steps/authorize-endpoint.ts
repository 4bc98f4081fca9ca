import { GatewayError } from "../gateway-error";
import { KEY_ENDPOINT_LABELS, type KeyEndpoint } from "../key-endpoints";
import type { ApiKeyRecord } from "../ports";

/**
 * Refuses (403, OpenAI's `permission_error` type, code `endpoint_not_allowed`) a key limited to
 * other endpoint groups. One property read and a set lookup: the set is built once when the key
 * row is loaded into the key cache.
 */
export function authorizeEndpoint(key: ApiKeyRecord, endpoint: KeyEndpoint): void {
  const allowed = key.allowedEndpoints;
  if (allowed === undefined || allowed === null || allowed.has(endpoint)) return;
  throw new GatewayError(
    "endpoint_not_allowed",
    403,
    `This API key is not allowed to call ${KEY_ENDPOINT_LABELS[endpoint]}. It may call: ${
      allowed.size === 0 ? "nothing" : [...allowed].join(", ")
    }. An admin can change this in the key's settings.`,
  );
}
