/**
 * Text a human cannot see but a model reads: Unicode tag characters (U+E0000–E007F, which map
 * one-to-one onto ASCII and can spell a hidden instruction), zero-width characters inside Latin
 * words ("ig\u200bnore"), and bidirectional overrides that reorder what a reviewer sees.
 * Legitimate uses are excluded: tag sequences of subdivision flag emoji, zero-width joiners in
 * emoji sequences and in scripts that need them (only Latin-letter neighbours count).
 */

export interface SmugglingSpan {
  label: "TAG_CHARACTERS" | "ZERO_WIDTH" | "BIDI_OVERRIDE";
  start: number;
  end: number;
  /** Number of invisible characters in the span. */
  count: number;
  /** For tag characters: the ASCII they spell. */
  hidden?: string;
}

const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]|\uDB40[\uDC00-\uDC7F]/g;
/** Zero-width characters alone, for reading a text with them removed. */
export const INVISIBLE_CHARS = /[\u200B-\u200D\u2060\uFEFF]/g;

export function findSmuggling(text: string): SmugglingSpan[] {
  const out: SmugglingSpan[] = [];
  INVISIBLE.lastIndex = 0;
  for (let m = INVISIBLE.exec(text); m !== null; m = INVISIBLE.exec(text)) {
    const start = m.index;
    const c = text.charCodeAt(start);
    if (c === 0xdb40) {
      const run = tagRun(text, start);
      INVISIBLE.lastIndex = run.end;
      if (!isFlagEmoji(text, start, run)) out.push({ label: "TAG_CHARACTERS", start, end: run.end, count: run.count, hidden: run.hidden });
    } else if (c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069) {
      out.push({ label: "BIDI_OVERRIDE", start, end: start + 1, count: 1 });
    } else {
      const word = zeroWidthWord(text, start);
      INVISIBLE.lastIndex = word.end;
      if (word.count > 0) out.push({ label: "ZERO_WIDTH", start: word.start, end: word.end, count: word.count });
    }
  }
  return out;
}

function tagRun(text: string, start: number): { end: number; count: number; hidden: string } {
  let i = start;
  let hidden = "";
  while (text.charCodeAt(i) === 0xdb40) {
    const low = text.charCodeAt(i + 1);
    if (low < 0xdc00 || low > 0xdc7f) break;
    const ascii = low - 0xdc00;
    if (ascii >= 32 && ascii < 127) hidden += String.fromCharCode(ascii);
    i += 2;
  }
  return { end: i, count: (i - start) / 2, hidden };
}

/** 🏴 (U+1F3F4) followed by a short tag sequence ending in CANCEL TAG: England, Scotland, Wales. */
function isFlagEmoji(text: string, start: number, run: { end: number; count: number }): boolean {
  const blackFlag = text.charCodeAt(start - 2) === 0xd83c && text.charCodeAt(start - 1) === 0xdff4;
  const cancelled = text.charCodeAt(run.end - 1) === 0xdc7f;
  return blackFlag && cancelled && run.count <= 8;
}

function isLatinLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isZeroWidth(c: number): boolean {
  return (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff;
}

/** The Latin word around a zero-width character, and how many zero-widths sit between letters. */
function zeroWidthWord(text: string, at: number): { start: number; end: number; count: number } {
  let start = at;
  while (start > 0 && at - start < 64 && (isLatinLetter(text.charCodeAt(start - 1)) || isZeroWidth(text.charCodeAt(start - 1)))) start--;
  let end = at;
  while (end < text.length && end - at < 256 && (isLatinLetter(text.charCodeAt(end)) || isZeroWidth(text.charCodeAt(end)))) end++;
  let count = 0;
  for (let i = start; i < end; i++) {
    if (isZeroWidth(text.charCodeAt(i)) && isLatinLetter(text.charCodeAt(i - 1)) && isLatinLetter(text.charCodeAt(i + 1))) count++;
  }
  // Trim invisible characters off the ends so the span starts and ends on letters.
  while (start < end && isZeroWidth(text.charCodeAt(start))) start++;
  while (end > start && isZeroWidth(text.charCodeAt(end - 1))) end--;
  return { start, end: Math.max(end, at + 1), count };
}
