/**
 * CSV text (RFC 4180: comma-separated, CRLF, fields with commas, quotes or line breaks quoted).
 * Text that a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading
 * apostrophe first: model names, key names and end-user ids are chosen by API callers.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell from untrusted input: formula-safe, then quoted as needed. */
export function csvText(value: string | null): string {
  if (value === null) return "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A line of cells that are already CSV-safe (from csvText, or numbers we printed). */
export function csvLine(cells: (string | number)[]): string {
  return `${cells.join(",")}\r\n`;
}
