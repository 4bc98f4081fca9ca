import { defineDetector } from "../define-detector";

/**
 * PEM private keys: "-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----"
 * through the matching END line. A key cut off before its END line (pasted partially, or
 * truncated by the client) is still reported up to the end of its base64 body. A BEGIN line
 * with no key material after it (documentation describing the format) scores 0.3.
 */

const BEGIN = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/g;
/** Longest body we look through for the END line: a 16384-bit RSA key is about 12 KB. */
const MAX_BODY = 16_384;
/** One body line: base64, or a PEM header such as "Proc-Type: 4,ENCRYPTED" / "Version: GnuPG". */
const BASE64_LINE = /[ \t]*[A-Za-z0-9+/=]{1,100}[ \t]*/y;
const HEADER_LINE = /[A-Za-z-]{1,40}: [^\r\n\\]{0,120}/y;
/** A real line break, or the two characters "\n" of a key pasted from a JSON string. */
const LINE_BREAK = /\r?\n|\\n/y;

export const privateKeyDetector = defineDetector("secret.private_key", "secret", (text, emit) => {
  BEGIN.lastIndex = 0;
  // Position of the next "-----END " at or after the current header; found once and reused, so
  // many BEGIN lines without END lines cannot make us rescan the rest of the text each time.
  let nextEnd = -2;
  for (let m = BEGIN.exec(text); m !== null; m = BEGIN.exec(text)) {
    const start = m.index;
    const headerEnd = start + m[0].length;
    const endLine = `-----END ${m[1]}-----`;
    if (nextEnd !== -1 && nextEnd < headerEnd) nextEnd = text.indexOf("-----END ", headerEnd);
    let close = nextEnd !== -1 && text.startsWith(endLine, nextEnd) ? nextEnd : -1;
    if (close === -1 && nextEnd !== -1 && nextEnd - headerEnd <= MAX_BODY) {
      // Another block's END line came first (a certificate in between): look a bounded way on.
      const found = text.slice(headerEnd, headerEnd + MAX_BODY + endLine.length).indexOf(endLine);
      close = found === -1 ? -1 : headerEnd + found;
    }
    let end: number;
    let material: number;
    if (close !== -1 && close - headerEnd <= MAX_BODY) {
      end = close + endLine.length;
      material = countBase64(text, headerEnd, close);
    } else {
      end = bodyEnd(text, headerEnd);
      material = countBase64(text, headerEnd, end);
    }
    emit("PRIVATE_KEY", start, end, material >= 64 ? 0.99 : 0.3);
    BEGIN.lastIndex = end;
  }
});

/**
 * End of a truncated key's body: base64 lines after the header's line break, stopping at the
 * first line that is not base64 (prose after the paste). A blank line is allowed only after
 * PEM headers, where the format puts one.
 */
function bodyEnd(text: string, from: number): number {
  const limit = Math.min(text.length, from + MAX_BODY);
  let i = from;
  let end = from;
  let afterHeader = false;
  while (i < limit) {
    if (!sticky(LINE_BREAK, text, i)) break;
    i = LINE_BREAK.lastIndex;
    if (afterHeader && sticky(LINE_BREAK, text, i)) {
      i = LINE_BREAK.lastIndex;
    }
    if (sticky(HEADER_LINE, text, i)) {
      i = end = HEADER_LINE.lastIndex;
      afterHeader = true;
    } else if (sticky(BASE64_LINE, text, i)) {
      i = end = BASE64_LINE.lastIndex;
      afterHeader = false;
    } else break;
  }
  // Trailing spaces are not part of the key.
  while (end > from && /\s/.test(text[end - 1]!)) end--;
  return end;
}

function sticky(pattern: RegExp, text: string, at: number): boolean {
  pattern.lastIndex = at;
  return pattern.test(text);
}

function countBase64(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47) n++;
  }
  return n;
}
