import { createHmac, hkdfSync } from "node:crypto";
import { randomBase62 } from "./ids";

/** `sy-` + 32 random bytes in base62 (43 characters). */
export const API_KEY_PREFIX = "sy-";
const KEY_BODY_LENGTH = 43;
export const API_KEY_PATTERN = /^sy-[0-9A-Za-z]{43}$/;

export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBase62(KEY_BODY_LENGTH);
}

/** Derives the HMAC key for API-key hashes from the instance encryption key (domain-separated). */
export function deriveKeyHashSecret(encryptionKey: string): Buffer {
  return Buffer.from(
    hkdfSync("sha256", encryptionKey, "switchyard", "api-key-hash/v1", 32) as ArrayBuffer,
  );
}

/** HMAC-SHA256(secret, key) as hex: what is stored and looked up. */
export function hashApiKey(key: string, secret: Buffer): string {
  return createHmac("sha256", secret).update(key).digest("hex");
}

/** What lists show: `sy-AbCd…wxyz`. */
export function displayParts(key: string): { prefix: string; last4: string } {
  return { prefix: key.slice(0, API_KEY_PREFIX.length + 4), last4: key.slice(-4) };
}
