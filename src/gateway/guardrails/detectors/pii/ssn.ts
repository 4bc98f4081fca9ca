import { defineDetector } from "../define-detector";
import { isWordCode } from "../text/chars";
import { contextBefore } from "../text/context";

/**
 * US Social Security numbers: AAA-GG-SSSS; with spaces or as nine bare digits only when the
 * text says it is an SSN (otherwise below 0.5). Numbers the SSA never issues are excluded: area 000, 666 and
 * 900–999, group 00, serial 0000, and the two famously published specimens.
 */

const CANDIDATE = /\d{3}([- ]?)\d{2}\1\d{4}/g;
const SSN_CONTEXT = /\b(?:ssn|social security|soc\.? ?sec|sozialversicherung|taxpayer|tin)\b|\bss#|\bsocial\b/;
/** Words naming some other kind of number just before it: "Order 123-45-6780", "Room 301-12-4455". */
const NOT_SSN_CONTEXT =
  /\b(?:phone|tel|call|fax|order|invoice|account|acct|tracking|ref|reference|isbn|zip|routing|room|serial|part|case|ticket|claim|item|sku|model|lot|batch|po)\b[^\n]{0,12}$/;
const SPECIMENS = new Set(["078051120", "219099999", "123456789"]);

export function isIssuableSsn(digits: string): boolean {
  const area = digits.slice(0, 3);
  if (area === "000" || area === "666" || area[0] === "9") return false;
  if (digits.slice(3, 5) === "00" || digits.slice(5) === "0000") return false;
  // "111-11-1111", "222-22-2222": form placeholders, never issued.
  if (/^(\d)\1{8}$/.test(digits)) return false;
  return !SPECIMENS.has(digits);
}

export const ssnDetector = defineDetector("pii.ssn", "pii", (text, emit) => {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!isStandalone(text, start, end)) continue;
    const digits = m[0].replace(/\D/g, "");
    if (!isIssuableSsn(digits)) continue;
    const separator = m[1];
    const named = contextBefore(text, start, 40, SSN_CONTEXT);
    if (!named && contextBefore(text, start, 30, NOT_SSN_CONTEXT)) continue;
    let confidence: number;
    if (separator === "-") confidence = named ? 0.97 : 0.85;
    else if (separator === " ") confidence = named ? 0.9 : 0.45;
    else confidence = named ? 0.8 : 0.2;
    emit("SSN", start, end, confidence);
  }
});

/** Not a slice of a longer number, a word, a decimal, or a dashed id like 123-45-6789-01. */
function isStandalone(text: string, start: number, end: number): boolean {
  if (isWordCode(text.charCodeAt(start - 1)) || isWordCode(text.charCodeAt(end))) return false;
  const before = text.charCodeAt(start - 1);
  const after = text.charCodeAt(end);
  const digitAt = (i: number) => {
    const c = text.charCodeAt(i);
    return c >= 48 && c <= 57;
  };
  // Separators continuing the number on either side: "1-123-45-6789", "123-45-6789.5".
  if ((before === 45 || before === 46 || before === 47) && digitAt(start - 2)) return false;
  if ((after === 45 || after === 46 || after === 47) && digitAt(end + 1)) return false;
  return true;
}
