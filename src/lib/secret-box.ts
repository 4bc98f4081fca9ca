import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Authenticated encryption for secrets stored at rest (provider API keys): AES-256-GCM with a
 * 96-bit random IV, under a key derived from the instance's SWITCHYARD_ENCRYPTION_KEY with HKDF
 * (its own `info`, so the same instance key never serves two purposes: API-key hashes use
 * another one).
 *
 * Sealed format: `v1:<iv>:<tag>:<ciphertext>`, each part base64url. The version prefix lets a
 * later format (or key rotation) coexist with rows written today.
 *
 * `context` (associated data) binds a ciphertext to where it belongs (e.g. org + row id): a
 * sealed value copied into another org's row does not open there.
 */

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export class SecretBoxError extends Error {
  override name = "SecretBoxError";
}

/** The AES key for secret boxes, derived from the instance encryption key (domain-separated). */
export function deriveSecretBoxKey(encryptionKey: string): Buffer {
  if (!encryptionKey) throw new SecretBoxError("The encryption key is empty.");
  return Buffer.from(hkdfSync("sha256", encryptionKey, "switchyard", "secret-box/v1", KEY_BYTES));
}

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new SecretBoxError(`A secret-box key is ${KEY_BYTES} bytes.`);
}

/** Encrypts `plaintext`; every call uses a fresh IV, so equal inputs give different outputs. */
export function sealSecret(plaintext: string, key: Buffer, context = ""): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, ciphertext]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(":");
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Decrypts a value from `sealSecret`. Throws `SecretBoxError` when it is malformed, was sealed
 * under another key or context, or was altered in any way.
 */
export function openSecret(sealed: string, key: Buffer, context = ""): string {
  checkKey(key);
  const parts = sealed.split(":");
  if (parts.length !== 4 || parts[0] !== VERSION) {
    throw new SecretBoxError("Not a sealed secret (expected v1:<iv>:<tag>:<ciphertext>).");
  }
  if (!parts.slice(1).every((p) => BASE64URL.test(p))) {
    throw new SecretBoxError("A sealed secret holds base64url parts only.");
  }
  const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, "base64url")) as [
    Buffer,
    Buffer,
    Buffer,
  ];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretBoxError("A sealed secret has a malformed IV or tag.");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    // GCM says only "unable to authenticate": wrong key, wrong context or tampering.
    throw new SecretBoxError(
      "The sealed secret does not open: wrong key or context, or it was altered.",
    );
  }
}
