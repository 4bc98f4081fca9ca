import { createHash } from "node:crypto";

/** SHA-256 hex of a high-entropy token (invite links): enough since the token itself is random. */
export function sha256Hex(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
