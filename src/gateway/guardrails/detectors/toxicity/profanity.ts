import { defineDetector, type Emit } from "../define-detector";
import { isWordCode } from "../text/chars";
import { THREAT_PATTERN, TOXIC_WORDS, type ToxicWord } from "./word-list";

/**
 * Profanity, insults, slurs and threats from the built-in list. Whole words only,
 * case-insensitive, seeing through common obfuscation: leetspeak ("sh1t", "@ss", "b!tch"),
 * masked letters ("f*ck", "f**k", "a**hole") and stretched letters ("fuuuuck").
 *
 * `score` is the severity (1/3, 2/3, 1); `confidence` is how sure we are the word is meant as
 * the toxic word: 0.95 plain, 0.85 obfuscated, 0.55 for ambiguous words, 0.3 for an ambiguous
 * word written capitalised mid-sentence (likely a name: "Dick Francis").
 *
 * Words are hashed as they are scanned, so the common case (an ordinary word) costs one map
 * lookup on an integer and no string allocation.
 */

const BY_HASH = new Map<number, string[]>();
/** Bitmap over the low hash bits: most ordinary words are rejected without a map lookup. */
const BLOOM = new Uint8Array(0x10000);
for (const w of TOXIC_WORDS.keys()) {
  const h = hashLower(w, 0, w.length);
  BY_HASH.set(h, [...(BY_HASH.get(h) ?? []), w]);
  BLOOM[h & 0xffff] = 1;
}
const MASKABLE = [...TOXIC_WORDS.keys()].filter((w) => w.length >= 3);

const LEET: Readonly<Record<string, string>> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s", "!": "i", "|": "i", "€": "e" };

export const toxicityDetector = defineDetector("toxicity.profanity", "toxicity", (text, emit) => {
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (tokenClass(text.charCodeAt(i)) === 0) {
      i++;
      continue;
    }
    let j = i;
    let plain = true;
    let hash = 0;
    let prev = -1;
    let run = 0;
    let letters = 0;
    let stretched = false;
    for (; j < n; j++) {
      const cj = text.charCodeAt(j);
      const kind = tokenClass(cj);
      if (kind === 0) break;
      if (kind === LETTER) letters++;
      else plain = false;
      run = cj === prev ? run + 1 : 1;
      if (run >= 3) stretched = true;
      prev = cj;
      hash = step(hash, cj);
    }
    // Trailing "!" is punctuation, not leet ("shit!").
    let end = j;
    while (end > i && text.charCodeAt(end - 1) === 33) end--;
    if (end !== j && letters === end - i) {
      plain = true;
      hash = hashLower(text, i, end);
    }
    // Numbers, prices, hashtags of digits: not words. Letters must dominate the token.
    if (end - i >= 2 && end - i <= 32 && letters * 2 >= end - i && !isWordCode(text.charCodeAt(i - 1)) && !isWordCode(text.charCodeAt(j))) {
      const match = plain && !stretched ? plainMatch(text, i, end, hash) : obfuscatedMatch(text.slice(i, end));
      if (match) report(text, i, end, match.word, match.obfuscated, emit);
    }
    i = j;
  }
  THREAT_PATTERN.lastIndex = 0;
  for (let m = THREAT_PATTERN.exec(text); m !== null; m = THREAT_PATTERN.exec(text)) {
    emit("THREAT", m.index, m.index + m[0].length, 0.9, 1);
  }
});

function report(text: string, start: number, end: number, word: ToxicWord, obfuscated: boolean, emit: Emit): void {
  // "hell-bent", "Dick-Read": an everyday word inside a hyphenated compound.
  if (word.ambiguous && (isHyphenJoin(text, start - 1, -1) || isHyphenJoin(text, end, 1))) return;
  let confidence = obfuscated ? 0.85 : 0.95;
  if (word.ambiguous) confidence = capitalisedMidSentence(text, start) ? 0.3 : 0.55;
  emit(word.label, start, end, confidence, word.severity / 3);
}

const LETTER = 1;
const SYMBOL = 2;
/** ASCII token classes: letters, and the digits and symbols leetspeak and masking use. */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = ASCII_CLASS[c + 32] = LETTER;
for (const ch of "0123456789*@$!|#") ASCII_CLASS[ch.charCodeAt(0)] = SYMBOL;

function tokenClass(c: number): number {
  if (c < 128) return ASCII_CLASS[c]!;
  return c === 0x20ac ? SYMBOL : 0;
}

/** Case-insensitive rolling hash kept within small-integer range (no heap numbers per step). */
function step(hash: number, c: number): number {
  return (Math.imul(hash, 31) + (c | 32)) & 0x3fffffff;
}

function hashLower(s: string, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = step(hash, s.charCodeAt(i));
  return hash;
}

function plainMatch(text: string, start: number, end: number, hash: number): { word: ToxicWord; obfuscated: boolean } | null {
  if (BLOOM[hash & 0xffff] !== 1) return null;
  const candidates = BY_HASH.get(hash);
  if (!candidates) return null;
  const token = text.slice(start, end).toLowerCase();
  for (const w of candidates) if (w === token) return { word: TOXIC_WORDS.get(w)!, obfuscated: false };
  return null;
}

function obfuscatedMatch(raw: string): { word: ToxicWord; obfuscated: boolean } | null {
  // A hashtag of the word is still the word: "#shit".
  const lower = raw.toLowerCase();
  let decoded = "";
  let repeats = false;
  let masked = false;
  for (let k = lower[0] === "#" ? 1 : 0; k < lower.length; k++) {
    const ch = LEET[lower[k]!] ?? lower[k]!;
    if (ch === decoded[decoded.length - 1]) repeats = true;
    if (ch === "*" || ch === "#") masked = true;
    decoded += ch;
  }
  const candidates = repeats ? [decoded, squeeze(decoded, 2), squeeze(decoded, 1)] : [decoded];
  for (const candidate of candidates) {
    const direct = TOXIC_WORDS.get(candidate);
    if (direct) return { word: direct, obfuscated: true };
    if (masked) {
      const word = maskedMatch(candidate);
      if (word) return { word, obfuscated: true };
    }
  }
  return null;
}

/** Collapses runs of one letter to at most `max`: "fuuuuck" → "fuck" (1), "asss" → "ass" (2). */
function squeeze(s: string, max: number): string {
  return s.replace(/([a-z])\1+/g, (run, ch: string) => ch.repeat(Math.min(max, run.length)));
}

/**
 * "f*ck", "f**k", "sh#t", "f***": same length, first letter visible, each mask hides one letter.
 * Longer words need a second visible letter ("f******" could be anything).
 */
function maskedMatch(token: string): ToxicWord | null {
  const first = token[0];
  if (first === "*" || first === "#") return null;
  const visible = token.replace(/[*#]/g, "").length;
  if (token.length > 4 && visible < 2) return null;
  for (const w of MASKABLE) {
    if (w.length !== token.length || w[0] !== first) continue;
    let ok = true;
    for (let k = 1; k < w.length && ok; k++) {
      const t = token[k];
      ok = t === w[k] || t === "*" || t === "#";
    }
    if (ok) return TOXIC_WORDS.get(w)!;
  }
  return null;
}

function isHyphenJoin(text: string, at: number, direction: 1 | -1): boolean {
  const c = text.charCodeAt(at + direction);
  return text[at] === "-" && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122));
}

function capitalisedMidSentence(text: string, start: number): boolean {
  const c = text.charCodeAt(start);
  if (c < 65 || c > 90) return false;
  let k = start - 1;
  while (k >= 0 && (text[k] === " " || text[k] === "\t")) k--;
  if (k < 0) return false;
  // "Philip K. Dick": a full stop after an initial does not end the sentence.
  if (text[k] === "." && /[A-Z]/.test(text[k - 1] ?? "") && !/[A-Za-z]/.test(text[k - 2] ?? "")) return true;
  return !".!?:\n\"'([".includes(text[k]!);
}
