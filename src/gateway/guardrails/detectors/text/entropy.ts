/** Shannon entropy in bits per character: random tokens score high, words and placeholders low. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** How many of lower, upper, digit, other a string mixes. */
export function charClassCount(s: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

/**
 * Placeholder values documentation uses instead of real secrets: "xxxx", "<your-key>",
 * "${TOKEN}", "sk-...", "****", "your_api_key_here", "EXAMPLE". Never worth flagging.
 */
export function looksLikePlaceholder(value: string): boolean {
  const v = value.toLowerCase();
  if (/^[<{[$%(]/.test(v) || /[>}\]]$/.test(v)) return true;
  if (v.includes("...") || v.includes("…") || v.includes("***")) return true;
  if (/(?:x{4,}|0{6,}|1{6,}|a{6,}|\.{3,}|-{4,}|_{4,})/.test(v)) return true;
  if (/your|example|placeholder|redacted|dummy|changeme|insert|replace|sample/.test(v)) return true;
  // Short words only as whole segments: "key_here", "fake-token" (not "L0ngP4ssphraseHere").
  return /(?:^|[\s_.\-])(?:here|fake|todo)(?:$|[\s_.\-])/.test(v);
}
