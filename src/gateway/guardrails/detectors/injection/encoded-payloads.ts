import { decodeBase64, decodeHex, printableRatio } from "../text/base64";

/**
 * Instructions smuggled as base64 or hex: runs of at least 24 base64 (or 32 hex) characters
 * that decode to readable text. Only runs that look encoded (mixed case and digits, or "="
 * padding, or pure even-length hex) are decoded.
 */

export interface EncodedPayload {
  start: number;
  end: number;
  decoded: string;
}

export const MIN_BASE64 = 24;
const MIN_HEX = 32;
/** Longer runs are certainly data (images, files), not a hidden sentence; decoding them costs. */
const MAX_RUN = 8192;

/**
 * Payloads among the base64-alphabet runs found by the caller's scan (flat [start, end, …]):
 * "=" padding after a run belongs to it.
 */
export function findEncodedPayloads(text: string, runs: readonly number[]): EncodedPayload[] {
  const out: EncodedPayload[] = [];
  for (let k = 0; k < runs.length; k += 2) {
    const start = runs[k]!;
    const runEnd = runs[k + 1]!;
    if (runEnd - start < MIN_BASE64 || runEnd - start > MAX_RUN) continue;
    let end = runEnd;
    while (end < text.length && end - runEnd < 2 && text.charCodeAt(end) === 61) end++;
    const decoded = decodeRun(text.slice(start, runEnd), end > runEnd);
    if (decoded !== null) out.push({ start, end, decoded });
  }
  return out;
}

function decodeRun(run: string, padded: boolean): string | null {
  if (/^[0-9a-fA-F]+$/.test(run)) {
    if (run.length < MIN_HEX) return null;
    const hex = decodeHex(run);
    return hex !== null && isReadable(hex) ? hex : null;
  }
  // Plain long words and identifiers ("internationalization_settings") are not base64.
  if (!padded && !(/[a-z]/.test(run) && /[A-Z]/.test(run) && /\d/.test(run))) return null;
  const text = decodeBase64(run.replace(/-/g, "+").replace(/_/g, "/"));
  return text !== null && isReadable(text) ? text : null;
}

/** Decoded bytes that read as a sentence: printable, with spaces, mostly letters. */
function isReadable(s: string): boolean {
  if (s.length < 12 || printableRatio(s) < 0.95) return false;
  const spaces = s.split(" ").length - 1;
  const letters = s.replace(/[^A-Za-z]/g, "").length;
  return spaces >= 2 && letters / s.length >= 0.6;
}
