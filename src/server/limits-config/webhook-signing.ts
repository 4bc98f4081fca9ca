import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * Budget-alert webhooks are signed so a receiver can tell them from forgeries. The secret of an
 * org is derived from the instance secret (SWITCHYARD_ENCRYPTION_KEY), the org id and a version:
 * nothing extra is stored, an admin can reveal it in the console at any time, and "rotate" bumps
 * the version (the old secret stops verifying at once). Rotating the instance secret rotates
 * every org's webhook secret.
 *
 * Header: `x-switchyard-signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * The timestamp is signed too, so a receiver can refuse old deliveries (replays).
 */

export const SIGNATURE_HEADER = "x-switchyard-signature";
const SECRET_PREFIX = "whsec_";

export function webhookSigningSecret(
  instanceSecret: string,
  orgId: string,
  version: number,
): string {
  const key = hkdfSync(
    "sha256",
    instanceSecret,
    "switchyard",
    `budget-alert-webhook/v1/${orgId}/${version}`,
    32,
  );
  return SECRET_PREFIX + Buffer.from(key as ArrayBuffer).toString("base64url");
}

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** The signature header's value for `body` sent at `timestamp` (unix seconds). */
export function signWebhookBody(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/**
 * Whether a delivery is authentic and recent: what a receiver does (kept here as the reference
 * implementation, and for tests). `toleranceSeconds` bounds the age of the signed timestamp.
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | null | undefined,
  options: { now?: number; toleranceSeconds?: number } = {},
): boolean {
  if (!header) return false;
  const parts = new Map(
    header.split(",").map((p) => {
      const i = p.indexOf("=");
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return false;
  return timingSafeEqual(Buffer.from(v1, "hex"), Buffer.from(hmac(secret, t, body), "hex"));
}
