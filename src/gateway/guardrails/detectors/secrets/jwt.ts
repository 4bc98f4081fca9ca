import { defineDetector, type Emit } from "../define-detector";
import { decodeBase64Url } from "../text/base64";

/**
 * JSON Web Tokens: three base64url segments whose first decodes to a JSON object with an "alg"
 * member. The header check is what separates a JWT from any other dotted base64 (and from
 * "eyJ…" strings in documentation, which rarely decode). Unsigned tokens (alg "none", empty
 * signature) are reported too: they still carry claims.
 */

const MAX_TOKEN = 20_000;

export const jwtDetector = defineDetector("secret.jwt", "secret", (text, emit) => {
  // Found from each "eyJ" by a forward scan over token characters, not by a regex that could
  // re-scan a long base64 run from every "eyJ" inside it.
  let at = text.indexOf("eyJ");
  while (at !== -1) {
    let end = at;
    const limit = Math.min(text.length, at + MAX_TOKEN);
    while (end < limit && isSegmentCode(text.charCodeAt(end))) end++;
    const next = text.indexOf("eyJ", end);
    if (!isSegmentCode(text.charCodeAt(at - 1)) && !isSegmentCode(text.charCodeAt(end))) {
      let token = text.slice(at, end);
      // A sentence's full stop after a signed token ("…eyJa.eyJb.sig.") is not part of it; an
      // unsigned token legitimately ends in its second dot ("eyJa.eyJb.").
      if (token.endsWith(".") && dotCount(token) === 3) token = token.slice(0, -1);
      judge(token, at, emit);
    }
    at = next;
  }
});

function dotCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf("."); i !== -1; i = s.indexOf(".", i + 1)) n++;
  return n;
}

function judge(token: string, start: number, emit: Emit): void {
  const parts = token.split(".");
  if (parts.length !== 3) return;
  const [header, payload, signature] = parts as [string, string, string];
  const alg = headerAlg(header);
  if (alg === null) return;
  const claims = payload.length === 0 || payload.startsWith("eyJ");
  const signed = signature.length >= 16 || alg.toLowerCase() === "none";
  emit("JWT", start, start + token.length, claims && signed ? 0.97 : claims ? 0.7 : 0.5);
}

function isSegmentCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;
}

function headerAlg(segment: string): string | null {
  const json = decodeBase64Url(segment);
  if (json === null) return null;
  try {
    const header: unknown = JSON.parse(json);
    if (header === null || typeof header !== "object" || Array.isArray(header)) return null;
    const alg = (header as Record<string, unknown>).alg;
    return typeof alg === "string" && alg.length > 0 && alg.length <= 32 ? alg : null;
  } catch {
    return null;
  }
}
