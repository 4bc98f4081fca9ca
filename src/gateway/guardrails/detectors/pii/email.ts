import { defineDetector } from "../define-detector";
import { isAsciiAlnumCode, isAsciiLetterCode } from "../text/chars";

/**
 * Email addresses, found from each "@" outwards rather than with one big regex: a regex that
 * can start at every character and backtrack over a 64-character local part is the classic
 * slow path on long runs of word characters; this scan touches each character a bounded
 * number of times.
 */

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

/** Asset names like "logo@2x.png" end in a file extension, not a top-level domain. */
const FILE_EXTENSIONS = new Set([
  "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "css", "js", "ts", "tsx", "jsx",
  "json", "map", "mjs", "cjs", "md", "txt", "html", "xml", "yaml", "yml", "pdf", "zip", "gz",
]);

function isLocalCode(c: number): boolean {
  // . _ % + - and the rarer RFC 5322 atext characters people actually use.
  return isAsciiAlnumCode(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || c === 39;
}

function isDomainCode(c: number): boolean {
  return isAsciiAlnumCode(c) || c === 45 || c === 46;
}

export const emailDetector = defineDetector("pii.email", "pii", (text, emit) => {
  let at = text.indexOf("@");
  while (at !== -1) {
    const next = text.indexOf("@", at + 1);
    let start = at;
    while (start > 0 && at - start < MAX_LOCAL && isLocalCode(text.charCodeAt(start - 1))) start--;
    // Longer than any local part, or glued to another "@": not one address.
    const tooLong = at - start === MAX_LOCAL && isLocalCode(text.charCodeAt(start - 1));
    const glued = text.charCodeAt(start - 1) === 64;
    // Local parts cannot start with a dot (or a quote we do not parse).
    while (start < at && (text.charCodeAt(start) === 46 || text.charCodeAt(start) === 39)) start++;
    let end = at + 1;
    const limit = Math.min(text.length, at + 1 + MAX_DOMAIN);
    while (end < limit && isDomainCode(text.charCodeAt(end))) end++;
    // Trailing punctuation belongs to the sentence.
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
    if (!tooLong && !glued && start < at && text.charCodeAt(at - 1) !== 46 && text.charCodeAt(end) !== 64) {
      const domain = text.slice(at + 1, end);
      const confidence = scoreEmail(text, start, domain);
      if (confidence > 0) emit("EMAIL", start, end, confidence);
    }
    at = next;
  }
});

function scoreEmail(text: string, start: number, domain: string): number {
  const labels = domain.split(".");
  if (labels.length < 2) return 0;
  for (const label of labels) {
    if (label.length === 0 || label.length > 63) return 0;
    if (label.startsWith("-") || label.endsWith("-")) return 0;
  }
  const tld = labels[labels.length - 1]!.toLowerCase();
  if (tld.length < 2 || tld.length > 24) return 0;
  for (let i = 0; i < tld.length; i++) if (!isAsciiLetterCode(tld.charCodeAt(i))) return 0;
  if (FILE_EXTENSIONS.has(tld)) return 0;
  // "postgres://user:secret@db.example.com": URL credentials, reported by the connection-string
  // detector; an address shape there is weak evidence of a mailbox.
  const lead = text.slice(Math.max(0, start - 80), start);
  if (/:\/\/[^\s/]*:?$/.test(lead)) return 0.3;
  // "git@github.com:org/repo" is an SSH remote, not a person.
  if (text.slice(start, start + 4).toLowerCase() === "git@") return 0.2;
  return 0.95;
}
