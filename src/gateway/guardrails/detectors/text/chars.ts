/** Character tests on UTF-16 code units; `NaN` (out of range) is never a match. */

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiLetterCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isAsciiAlnumCode(c: number): boolean {
  return isDigitCode(c) || isAsciiLetterCode(c);
}

/** Letters, digits and underscore in any script: what a human reads as part of a word. */
export function isWordCode(c: number): boolean {
  if (c < 128) return isAsciiAlnumCode(c) || c === 95;
  if (Number.isNaN(c)) return false;
  return WORD_CHAR.test(String.fromCharCode(c));
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
