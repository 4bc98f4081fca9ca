import type { HeaderSource } from "../inbound";
import { API_KEY_PATTERN } from "~/lib/api-key-secret";
import type { GatewayContext } from "../context";
import { GatewayError } from "../gateway-error";
import type { ApiKeyRecord, ApiKeyStore, Clock, KeyHasher, KeyUsageRecorder } from "../ports";

/** `Bearer <key>`: scheme in any case, any surrounding whitespace. */
const BEARER = /^\s*bearer\s+(\S+)\s*$/i;

export interface AuthenticatePorts {
  apiKeys: ApiKeyStore;
  hashKey: KeyHasher;
  touchKey: KeyUsageRecorder;
  clock: Clock;
}

type Presented = { kind: "key"; key: string } | { kind: "missing" } | { kind: "bad-scheme" };

/** The secret the client presented: `Authorization: Bearer …` first, then `x-api-key`. */
export function presentedKey(headers: HeaderSource): Presented {
  const authorization = headers.get("authorization");
  if (authorization !== null && authorization.trim() !== "") {
    const match = BEARER.exec(authorization);
    if (match) return { kind: "key", key: match[1]! };
    const apiKey = headers.get("x-api-key")?.trim();
    if (apiKey) return { kind: "key", key: apiKey };
    // `Bearer` with nothing after it is a missing key, any other scheme is a wrong one.
    return /^\s*bearer\s*$/i.test(authorization) ? { kind: "missing" } : { kind: "bad-scheme" };
  }
  const apiKey = headers.get("x-api-key")?.trim();
  return apiKey ? { kind: "key", key: apiKey } : { kind: "missing" };
}

/** `sy-AbCd…wxyz`: enough to recognise a key in an error message, never the whole secret. */
export function redactKey(key: string): string {
  const printable = key.replace(/[^\x21-\x7e]/g, "");
  if (printable.length < 16) return "***";
  return `${printable.slice(0, 7)}…${printable.slice(-4)}`;
}

function incorrectKey(key: string, hint: string): GatewayError {
  return new GatewayError(
    "invalid_api_key",
    401,
    `Incorrect API key provided: ${redactKey(key)}. ${hint}`,
  );
}

/**
 * Resolves the request's API key and stores it on the context. Refuses (401, OpenAI's
 * `invalid_api_key` code) keys that are malformed, unknown, revoked or expired; expiry is judged
 * against the clock now, not when the store cached the row.
 */
export async function authenticate(
  ctx: GatewayContext,
  headers: HeaderSource,
  ports: AuthenticatePorts,
): Promise<ApiKeyRecord> {
  const presented = presentedKey(headers);
  if (presented.kind === "missing") {
    throw new GatewayError(
      "missing_api_key",
      401,
      "No API key provided. Send your Switchyard key in the Authorization header (Authorization: Bearer sy-…) or in the x-api-key header.",
    );
  }
  if (presented.kind === "bad-scheme") {
    throw new GatewayError(
      "invalid_api_key",
      401,
      "Unsupported Authorization scheme. Send your Switchyard key as Authorization: Bearer sy-… (or in the x-api-key header).",
    );
  }
  const { key } = presented;
  if (!API_KEY_PATTERN.test(key)) {
    throw incorrectKey(key, "Switchyard keys are sy- followed by 43 letters and digits.");
  }
  const record = await ports.apiKeys.findByHash(ports.hashKey(key));
  if (record === null) {
    throw incorrectKey(key, "You can find your API keys in the Switchyard console.");
  }
  if (record.revokedAt !== null) {
    throw new GatewayError("invalid_api_key", 401, "This API key has been revoked.");
  }
  if (record.expiresAt !== null && record.expiresAt.getTime() <= ports.clock.now()) {
    throw new GatewayError(
      "invalid_api_key",
      401,
      `This API key expired at ${record.expiresAt.toISOString()}.`,
    );
  }
  ctx.key = record;
  ports.touchKey(record.id);
  return record;
}
