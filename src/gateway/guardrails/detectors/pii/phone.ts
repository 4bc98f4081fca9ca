import { defineDetector, type Emit } from "../define-detector";
import { isWordCode } from "../text/chars";
import { windowBefore } from "../text/context";
import { bareDigitsConfidence, phoneConfidence, type PhoneShape } from "./phone-formats";

/**
 * Telephone numbers: E.164 / international ("+44 20 7946 0958", "0049 30 1234567") and the
 * national layouts of the US/Canada, UK, Germany, France and India. A run of digits and
 * separators is split into digit groups and judged by its layout (see phone-formats.ts);
 * dates, IPv4 addresses, versions and ISBNs are rejected by shape, and nearby words move the
 * confidence ("call", "phone" up; "order", "invoice", "ISBN" down).
 */

// A "+" or "(" or digit, separators and digits, ending on a digit; at most 30 characters.
const RUN = /[+(]?\d[\d ().\-/\u00A0]{5,28}\d/g;
const PHONE_WORDS =
  /\b(?:phone|tel|telephone|call|calling|mobile|cell|fax|whatsapp|sms|text me|reach me|contact|hotline|dial|number|nummer|num[ée]ro|telefon|handy|ring)\b/g;
const NOT_PHONE_WORDS =
  /\b(?:order|invoice|inv|account|acct|ref|reference|tracking|isbn|issn|serial|sku|po|ticket|case|id|iban|routing|card|ssn|zip|version|build|patent|doi|lot|batch)\b/g;

export const phoneDetector = defineDetector("pii.phone", "pii", (text, emit) => {
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m !== null; m = RUN.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (!isStandalone(text, start, end)) continue;
    scanRun(text, start, m[0], emit);
  }
});

interface Group {
  digits: string;
  start: number;
  end: number;
  /** Written inside parentheses. */
  paren: boolean;
}

/** A phone has at most 7 digit groups ("+33 (0)1 44 55 66 77" has 7). */
const MAX_GROUPS = 7;

function scanRun(text: string, base: number, run: string, emit: Emit): void {
  const international = run[0] === "+";
  const groups = tokenize(run);
  if (groups.length === 0) return;
  // Digits and single-digit groups before group k, to reject a slice before building anything:
  // no numbering plan has more than two one-digit groups ("+33 (0)1 44 55 66 77" has two).
  const before = [0];
  const singles = [0];
  for (const g of groups) {
    before.push(before[before.length - 1]! + g.digits.length);
    singles.push(singles[singles.length - 1]! + (g.digits.length === 1 ? 1 : 0));
  }
  let best: { start: number; end: number; confidence: number } | null = null;
  // Try each consecutive slice of groups (longest first); a run may hold a phone plus a
  // neighbouring number ("Room 12 (212) 555-0100").
  for (let i = 0; i < groups.length; i++) {
    for (let j = Math.min(groups.length, i + MAX_GROUPS) - 1; j >= i; j--) {
      const digits = before[j + 1]! - before[i]!;
      if (digits < 7 || digits > 17 || singles[j + 1]! - singles[i]! > 2) continue;
      const confidence = judge(run, groups, i, j, international && i === 0);
      if (confidence <= 0) continue;
      const s = i === 0 ? 0 : groups[i]!.paren ? groups[i]!.start - 1 : groups[i]!.start;
      const e = groups[j]!.paren ? groups[j]!.end + 1 : groups[j]!.end;
      if (!best || e - s > best.end - best.start || (e - s === best.end - best.start && confidence > best.confidence)) {
        best = { start: s, end: e, confidence };
      }
    }
  }
  if (!best) return;
  const start = base + best.start;
  const lead = windowBefore(text, start, 32);
  let confidence = best.confidence;
  if (/\bisbn\b/.test(lead)) return;
  // The nearer word wins: "order line, call 212-555-0100" is a phone.
  const against = lastMatchEnd(NOT_PHONE_WORDS, lead);
  const infavor = lastMatchEnd(PHONE_WORDS, lead);
  if (against > infavor) confidence -= 0.4;
  else if (infavor > against) confidence += confidence < 0.5 ? 0.35 : 0.12;
  emit("PHONE", start, base + best.end, Math.min(0.97, confidence));
}

function lastMatchEnd(pattern: RegExp, s: string): number {
  let last = -1;
  pattern.lastIndex = 0;
  for (let m = pattern.exec(s); m !== null; m = pattern.exec(s)) last = m.index + m[0].length;
  return last;
}

function tokenize(run: string): Group[] {
  const groups: Group[] = [];
  let i = 0;
  while (i < run.length) {
    const c = run.charCodeAt(i);
    if (c < 48 || c > 57) {
      i++;
      continue;
    }
    let j = i;
    while (j < run.length && run.charCodeAt(j) >= 48 && run.charCodeAt(j) <= 57) j++;
    const paren = run[i - 1] === "(" && run[j] === ")";
    groups.push({ digits: run.slice(i, j), start: i, end: j, paren });
    i = j;
  }
  return groups;
}

function judge(run: string, groups: Group[], i: number, j: number, international: boolean): number {
  const slice = groups.slice(i, j + 1);
  const separators: string[] = [];
  for (let k = i; k < j; k++) separators.push(run.slice(groups[k]!.end, groups[k + 1]!.start));
  // One separator between groups, at most a space around a parenthesis or a slash:
  // "(212) 555", "44 (0) 20", "030 / 901820".
  if (!separators.every((s) => /^(?:[ .\-/\u00A0]|\) ?|\)?[ -]?\(|\)-| \/ |\) ?\/ ?)$/.test(s))) return 0;
  let digitsGroups = slice.map((g) => g.digits);
  let intl = international;
  if (!intl && digitsGroups[0]!.startsWith("00") && i === 0) {
    // "0049 30 1234567" / "00 44 20 …": the international call prefix.
    intl = true;
    digitsGroups[0] = digitsGroups[0]!.slice(2);
    if (digitsGroups[0] === "") digitsGroups = digitsGroups.slice(1);
  }
  if (intl && slice.length > 2 && slice[1]!.paren && slice[1]!.digits === "0") {
    // "+44 (0) 20 7946 0958": the national trunk prefix shown in parentheses.
    digitsGroups.splice(1, 1);
  }
  if (digitsGroups.length === 0) return 0;
  const allDigits = digitsGroups.join("");
  if (allDigits.length < 7 || allDigits.length > 15) return 0;
  if (looksLikeOtherNumber(digitsGroups, separators)) return 0;
  if (digitsGroups.length === 1 && !intl) return bareDigitsConfidence(allDigits);
  const shape: PhoneShape = {
    groups: digitsGroups,
    separators: separators.map((s) => s.replace(/[()]/g, "").trim() || " "),
    international: intl,
    parenthesized: slice[0]!.paren,
  };
  return phoneConfidence(shape);
}

/** Dates (2024-03-12, 12.03.2024), IPv4 addresses and ISBN-13s look like digit groups too. */
function looksLikeOtherNumber(groups: string[], separators: string[]): boolean {
  const sizes = groups.map((g) => g.length).join("-");
  const sameSep = separators.every((s) => s === separators[0]);
  if (sameSep && groups.length === 3 && (sizes === "4-2-2" || sizes === "2-2-4" || sizes === "1-2-4" || sizes === "2-1-4")) {
    return true;
  }
  if (groups.length === 4 && separators.every((s) => s === ".") && groups.every((g) => g.length <= 3 && Number(g) <= 255)) {
    return true;
  }
  const digits = groups.join("");
  return digits.length === 13 && (digits.startsWith("978") || digits.startsWith("979"));
}

/** Not glued to a word, and not a slice of a longer dotted or dashed number. */
function isStandalone(text: string, start: number, end: number): boolean {
  const before = text.charCodeAt(start - 1);
  const after = text.charCodeAt(end);
  if (isWordCode(before) || isWordCode(after)) return false;
  const digitAt = (k: number) => {
    const c = text.charCodeAt(k);
    return c >= 48 && c <= 57;
  };
  if ((before === 46 || before === 45 || before === 47 || before === 43) && digitAt(start - 2)) return false;
  return !((after === 46 || after === 45 || after === 47) && digitAt(end + 1));
}
