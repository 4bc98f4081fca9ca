import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveKeyHashSecret } from "~/lib/api-key-secret";
import { deriveSecretBoxKey, openSecret, sealSecret, SecretBoxError } from "~/lib/secret-box";

const KEY = deriveSecretBoxKey("dGVzdC1lbmNyeXB0aW9uLWtleS0wMTIzNDU2Nzg5YWJjZGVm");
const OTHER_KEY = deriveSecretBoxKey("b3RoZXItZW5jcnlwdGlvbi1rZXktMDEyMzQ1Njc4OWFiY2RlZg");

function flipChar(s: string, index: number): string {
  const c = s[index]!;
  return s.slice(0, index) + (c === "A" ? "B" : "A") + s.slice(index + 1);
}

describe("secret box (AES-256-GCM)", () => {
  it("round-trips any string, with a fresh IV every time", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 600 }),
        fc.string({ maxLength: 40 }),
        (secret, ctx) => {
          const sealed = sealSecret(secret, KEY, ctx);
          expect(openSecret(sealed, KEY, ctx)).toBe(secret);
        },
      ),
      { numRuns: 200 },
    );
    const a = sealSecret("sk-same", KEY);
    const b = sealSecret("sk-same", KEY);
    expect(a).not.toBe(b);
  });

  it("writes the versioned format v1:<iv>:<tag>:<ciphertext> in base64url and never the plaintext", () => {
    const sealed = sealSecret("sk-live-abcdefghijklmnop", KEY);
    expect(sealed).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("sk-live");
    expect(sealed).not.toContain("abcdefghijklmnop");
  });

  it("derives a 32-byte key distinct from the API-key hashing secret of the same instance key", () => {
    const raw = "dGVzdC1lbmNyeXB0aW9uLWtleS0wMTIzNDU2Nzg5YWJjZGVm";
    expect(KEY.length).toBe(32);
    expect(deriveSecretBoxKey(raw).equals(KEY)).toBe(true);
    expect(deriveKeyHashSecret(raw).equals(KEY)).toBe(false);
    expect(() => deriveSecretBoxKey("")).toThrow(SecretBoxError);
  });

  it("refuses another key and another context", () => {
    const sealed = sealSecret("sk-secret", KEY, "org_a:prv_1");
    expect(() => openSecret(sealed, OTHER_KEY, "org_a:prv_1")).toThrow(SecretBoxError);
    expect(() => openSecret(sealed, KEY, "org_b:prv_1")).toThrow(SecretBoxError);
    expect(() => openSecret(sealed, KEY)).toThrow(SecretBoxError);
  });

  it("detects tampering with any part", () => {
    const sealed = sealSecret("sk-secret-value", KEY);
    const [v, iv, tag, ct] = sealed.split(":") as [string, string, string, string];
    const variants = [
      [v, flipChar(iv, 3), tag, ct],
      [v, iv, flipChar(tag, 5), ct],
      [v, iv, tag, flipChar(ct, 0)],
      [v, iv, tag, ct + "AA"],
      [v, iv, tag, ct.slice(0, -2)],
      [v, iv, tag.slice(0, -1), ct],
      ["v2", iv, tag, ct],
      [v, iv, tag],
      [v, iv + "!", tag, ct],
    ];
    for (const parts of variants) {
      expect(() => openSecret(parts.join(":"), KEY), parts.join(":")).toThrow(SecretBoxError);
    }
    expect(() => openSecret("", KEY)).toThrow(SecretBoxError);
    expect(() => openSecret("sk-plaintext-key", KEY)).toThrow(SecretBoxError);
    expect(openSecret(sealed, KEY)).toBe("sk-secret-value");
  });

  it("refuses keys of the wrong length", () => {
    expect(() => sealSecret("x", Buffer.alloc(16))).toThrow(SecretBoxError);
    expect(() => openSecret(sealSecret("x", KEY), Buffer.alloc(31))).toThrow(SecretBoxError);
  });
});
