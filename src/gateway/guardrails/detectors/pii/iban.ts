import { defineDetector } from "../define-detector";
import { isAsciiAlnumCode } from "../text/chars";
import { IBAN_LENGTHS } from "./iban-countries";

/**
 * IBANs, compact ("DE89370400440532013000") or printed in groups of four
 * ("DE89 3704 0044 0532 0130 00"): a registered country code, that country's exact length and
 * the ISO 7064 mod-97 checksum. Upper case only, as IBANs are printed.
 */

// Country code + check digits, then up to 30 more characters each optionally after one space.
const CANDIDATE = /[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}/g;

export const ibanDetector = defineDetector("pii.iban", "pii", (text, emit) => {
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const start = m.index;
    if (isAsciiAlnumCode(text.charCodeAt(start - 1))) {
      CANDIDATE.lastIndex = start + 1;
      continue;
    }
    const length = IBAN_LENGTHS[m[0].slice(0, 2)];
    const end = length === undefined ? -1 : takeChars(text, start, length);
    if (end === -1) {
      CANDIDATE.lastIndex = start + 1;
      continue;
    }
    const compact = text.slice(start, end).replace(/ /g, "");
    if (mod97(compact) === 1) {
      emit("IBAN", start, end, 0.97);
      CANDIDATE.lastIndex = end;
    } else {
      CANDIDATE.lastIndex = start + 1;
    }
  }
});

/**
 * End offset after `count` alphanumerics from `start`, allowing single spaces between them, if
 * the IBAN stops there (the next character does not continue it); -1 otherwise.
 */
function takeChars(text: string, start: number, count: number): number {
  let i = start;
  let taken = 0;
  while (taken < count && i < text.length) {
    const c = text.charCodeAt(i);
    if (isAsciiAlnumCode(c)) {
      taken++;
      i++;
    } else if (c === 32 && taken > 0 && isAsciiAlnumCode(text.charCodeAt(i + 1))) {
      i++;
    } else break;
  }
  if (taken !== count) return -1;
  if (isAsciiAlnumCode(text.charCodeAt(i))) return -1;
  return i;
}

/** ISO 7064 mod 97-10 over the rearranged IBAN, computed in chunks to stay in safe integers. */
export function mod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) remainder = (remainder * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) remainder = (remainder * 100 + (c - 55)) % 97;
    else return -1;
  }
  return remainder;
}
