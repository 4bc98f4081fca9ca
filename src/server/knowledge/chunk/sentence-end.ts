/**
 * Whether the text just before a whitespace run ends a sentence: `.`, `!`, `?`, `…` or a CJK
 * full stop, optionally followed by closing quotes or brackets. A `.` does not end a sentence
 * after a known abbreviation ("e.g.", "Dr."), after a single letter (an initial: "J. Smith"),
 * after a number that opens a line (a list item: "1. Install"), or when the next word starts
 * with a lowercase letter ("approx. five"). Decimals ("3.14") never reach here: no whitespace
 * follows their dot.
 */

const ABBREVIATIONS = new Set([
  "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "cf", "al", "approx", "ca", "est",
  "e.g", "i.e", "eg", "ie", "viz", "fig", "figs", "vol", "pp", "ch", "sec", "dept", "incl", "excl",
  "u.s", "u.k", "a.m", "p.m", "ph.d", "gen", "gov", "sgt", "capt", "lt", "rev", "hon", "resp",
]);

const CLOSERS = new Set([")", "]", "}", '"', "'", "\u201D", "\u2019", "\u00BB"]);
const OPENERS = /^[([{"'\u201C\u2018\u00AB]+/;
const TERMINATORS = new Set([".", "!", "?", "\u2026", "\u3002", "\uFF01", "\uFF1F"]);
/** CJK sentence ends (。！？) need no following space to be a cut point. */
export function isCjkTerminatorCode(code: number): boolean {
  return code === 0x3002 || code === 0xff01 || code === 0xff1f;
}

export function isWhitespaceCode(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** A cheap pre-check: only a run after one of these characters can end a sentence. */
export function mayEndSentence(code: number): boolean {
  return (
    code === 0x2e || code === 0x21 || code === 0x3f || code === 0x2026 || code === 0x3002 || code === 0xff01 ||
    code === 0xff1f || code === 0x29 || code === 0x5d || code === 0x7d || code === 0x22 || code === 0x27 ||
    code === 0x201d || code === 0x2019 || code === 0xbb
  );
}

function isLowercaseLetter(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code < 0x80) return code >= 0x61 && code <= 0x7a;
  return char !== char.toUpperCase() && char === char.toLowerCase();
}

/** `runStart` is the index of the first whitespace character after a word; `next` the first character after the run. */
export function endsSentence(text: string, runStart: number, next: number): boolean {
  let index = runStart - 1;
  while (index > 0 && CLOSERS.has(text[index] ?? "")) index--;
  const terminator = text[index] ?? "";
  if (!TERMINATORS.has(terminator)) return false;
  if (terminator !== ".") return true;
  if (isLowercaseLetter(text[next] ?? "")) return false;
  let tokenStart = index;
  while (tokenStart > 0 && !isWhitespaceCode(text.charCodeAt(tokenStart - 1))) tokenStart--;
  const token = text.slice(tokenStart, index).replace(OPENERS, "");
  if (ABBREVIATIONS.has(token.toLowerCase())) return false;
  if (/^\p{L}$/u.test(token)) return false;
  if (/^\d+$/.test(token) && (tokenStart === 0 || text[tokenStart - 1] === "\n")) return false;
  return true;
}
