import { defineDetector } from "../define-detector";
import { isWordCode } from "../text/chars";
import { contextBefore } from "../text/context";
import { cardNetwork } from "./card-networks";
import { luhnValid } from "./luhn";

/**
 * Payment card numbers (PANs): 13–19 digits, bare or grouped with spaces or dashes, that pass
 * Luhn and fall in a known network's IIN range with a length that network issues. Grouped
 * numbers must be grouped like cards are printed (4-4-4-4, 4-6-5, 4-6-4, 4-4-4-4-3).
 */

// Digit groups joined by one separator each: deterministic, so no backtracking blow-up.
const RUN = /\d{1,19}(?:[ -]\d{1,19}){0,7}/g;
const CARD_CONTEXT = /\b(?:card|visa|mastercard|amex|credit|debit|cc|pan|payment|kreditkarte|carte)\b/;
const NOT_CARD_CONTEXT = /\b(?:order|invoice|tracking|account no|isbn|serial|imei|iccid|ref|reference)\b[^\n]{0,16}$/;

export const creditCardDetector = defineDetector("pii.credit_card", "pii", (text, emit) => {
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m !== null; m = RUN.exec(text)) {
    const run = m[0];
    if (run.length < 13) continue;
    const base = m.index;
    if (isWordCode(text.charCodeAt(base - 1)) || isWordCode(text.charCodeAt(base + run.length))) {
      // A letter glued on either side ("ID4111…x") makes it an identifier, except for the run's
      // own trailing separator which the regex never includes.
      continue;
    }
    const found = findCard(run);
    if (!found) continue;
    const start = base + found.start;
    const end = base + found.end;
    if (precededByDecimal(text, start)) continue;
    const named = contextBefore(text, start, 40, CARD_CONTEXT);
    if (!named && contextBefore(text, start, 30, NOT_CARD_CONTEXT)) continue;
    let confidence = found.grouped ? 0.95 : 0.85;
    if (named) confidence = Math.min(0.99, confidence + 0.04);
    emit("CREDIT_CARD", start, end, confidence);
  }
});

interface CardSpan {
  start: number;
  end: number;
  grouped: boolean;
}

/** The card inside a run of digit groups: the whole run, or consecutive groups within it. */
function findCard(run: string): CardSpan | null {
  const groups = splitGroups(run);
  if (groups.length === 1) {
    const digits = groups[0]!.digits;
    return isCard(digits) ? { start: 0, end: run.length, grouped: false } : null;
  }
  // "Room 12 4111 1111 1111 1111 exp 12 27": the card is some consecutive groups of the run.
  let best: CardSpan | null = null;
  for (let s = 0; s < groups.length; s++) {
    let digits = "";
    for (let e = s; e < groups.length && digits.length < 19; e++) {
      if (e > s + 1 && groups[e]!.separator !== groups[s + 1]!.separator) break;
      digits += groups[e]!.digits;
      if (digits.length < 13) continue;
      const sizes = groups.slice(s, e + 1).map((g) => g.digits.length);
      if (!isCard(digits) || (e > s && !printedLikeACard(sizes))) continue;
      const span = { start: groups[s]!.start, end: groups[e]!.end, grouped: e > s };
      if (!best || span.end - span.start > best.end - best.start) best = span;
    }
  }
  return best;
}

interface Group {
  digits: string;
  /** The separator before this group ("" for the first). */
  separator: string;
  start: number;
  end: number;
}

function splitGroups(run: string): Group[] {
  const groups: Group[] = [];
  let i = 0;
  let separator = "";
  while (i < run.length) {
    let j = i;
    while (j < run.length && run.charCodeAt(j) >= 48 && run.charCodeAt(j) <= 57) j++;
    groups.push({ digits: run.slice(i, j), separator, start: i, end: j });
    separator = run[j] ?? "";
    i = j + 1;
  }
  return groups;
}

function printedLikeACard(sizes: number[]): boolean {
  const shape = sizes.join("-");
  if (shape === "4-6-5" || shape === "4-6-4") return true;
  // 4-4-4-4, 4-4-4-1 (13), 4-4-4-4-3 (19), 4-4-4-4-1..3 for the long formats.
  for (let i = 0; i < sizes.length - 1; i++) if (sizes[i] !== 4) return false;
  const last = sizes[sizes.length - 1]!;
  return last >= 1 && last <= 4;
}

function isCard(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  return cardNetwork(digits) !== null && luhnValid(digits);
}

/** "3.1415926535897932" is a number with a fractional part, not a card. */
function precededByDecimal(text: string, start: number): boolean {
  const c = text.charCodeAt(start - 1);
  const d = text.charCodeAt(start - 2);
  return (c === 46 || c === 44) && d >= 48 && d <= 57;
}
