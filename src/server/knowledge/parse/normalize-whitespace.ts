/**
 * The one whitespace policy of extracted text, so chunk offsets and overlaps mean the same
 * thing for every format: LF line ends; control characters, NULs, BOMs and soft hyphens
 * removed; runs of spaces and tabs (and other horizontal spaces) collapsed to one space;
 * lines trimmed; at most one blank line between paragraphs; no leading/trailing whitespace.
 */

// C0 controls other than tab, LF, VT, FF, CR; DEL; C1 controls; BOM / zero-width no-break space;
// soft hyphen.
const REMOVED = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\uFEFF\u00AD]/g;
const LINE_BREAKS = /\r\n?|[\u000B\u000C\u0085\u2028\u2029]/g;
const HORIZONTAL_SPACE = /[ \t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;
const SPACE_AROUND_NEWLINE = / ?\n ?/g;
const BLANK_LINE_RUNS = /\n{3,}/g;

/** Normalizes a block of text that may span several lines and paragraphs. */
export function normalizeBlock(raw: string): string {
  return raw
    .replace(LINE_BREAKS, "\n")
    .replace(REMOVED, "")
    .replace(HORIZONTAL_SPACE, " ")
    .replace(SPACE_AROUND_NEWLINE, "\n")
    .replace(BLANK_LINE_RUNS, "\n\n")
    .trim();
}

/** Normalizes text that must stay on one line (headings). */
export function normalizeInline(raw: string): string {
  return normalizeBlock(raw).replace(/\n+/g, " ");
}
