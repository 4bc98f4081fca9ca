/**
 * Base64 and hex decoding that never throws and works the same in Node and edge runtimes
 * (`atob` is global in both). Returns null for anything that is not cleanly decodable.
 */

export function decodeBase64Url(s: string): string | null {
  return decodeBase64(s.replace(/-/g, "+").replace(/_/g, "/"));
}

export function decodeBase64(s: string): string | null {
  const trimmed = s.replace(/=+$/, "");
  if (trimmed.length % 4 === 1) return null;
  const padded = trimmed + "===".slice(0, (4 - (trimmed.length % 4)) % 4);
  try {
    return atob(padded);
  } catch {
    return null;
  }
}

export function decodeHex(s: string): string | null {
  if (s.length % 2 !== 0) return null;
  let out = "";
  for (let i = 0; i < s.length; i += 2) {
    const byte = Number.parseInt(s.slice(i, i + 2), 16);
    if (Number.isNaN(byte)) return null;
    out += String.fromCharCode(byte);
  }
  return out;
}

/** Share of characters that are printable ASCII or common whitespace: decoded text vs bytes. */
export function printableRatio(s: string): number {
  if (s.length === 0) return 0;
  let printable = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13) printable++;
  }
  return printable / s.length;
}
