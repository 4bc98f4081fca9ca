import type { PhraseFeature } from "./phrase-features";

/**
 * One allocation-light pass over a text that answers two questions for the injection detector:
 * which words of a fixed vocabulary occur (ASCII words are hashed as they are read and looked
 * up by integer, behind a bitmap that rejects most words without touching the map), and where
 * the long runs of base64/hex characters are (candidates for encoded payloads).
 */

export interface TextScan {
  /** present[id] = 1 for each vocabulary word found as a whole ASCII word. */
  present: Uint8Array;
  /** Flat [start, end, start, end, …] of base64-alphabet runs at least `minRun` long. */
  runs: number[];
}

const LETTER = 1;
const BASE64 = 2;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const digit = c >= 48 && c <= 57;
  CLASS[c] = (letter ? LETTER : 0) | (letter || digit || c === 43 || c === 47 || c === 45 || c === 95 ? BASE64 : 0);
}
const BLOOM_BITS = 0xffff;

export class WordPresence {
  private readonly ids = new Map<number, number>();
  private readonly words: string[] = [];
  private readonly bloom = new Uint8Array(BLOOM_BITS + 1);

  constructor(features: readonly PhraseFeature[]) {
    for (const f of features) for (const group of f.needs) for (const w of group) this.idOf(w);
  }

  /** Stable id of a vocabulary word (added on first use). */
  idOf(word: string): number {
    const hash = hashWord(word);
    const known = this.ids.get(hash);
    if (known !== undefined) return known;
    this.words.push(word);
    this.ids.set(hash, this.words.length - 1);
    this.bloom[hash & BLOOM_BITS] = 1;
    return this.words.length - 1;
  }

  scan(text: string, minRun = Number.MAX_SAFE_INTEGER): TextScan {
    const present = new Uint8Array(this.words.length);
    const runs: number[] = [];
    const n = text.length;
    let wordStart = -1;
    let hash = 0;
    let runStart = -1;
    for (let i = 0; i <= n; i++) {
      const c = i < n ? text.charCodeAt(i) : 32;
      const kind = c < 128 ? CLASS[c]! : 0;
      if (kind & LETTER) {
        if (wordStart < 0) {
          wordStart = i;
          hash = 0;
        }
        hash = (Math.imul(hash, 31) + (c | 32)) & 0x3fffffff;
      } else if (wordStart >= 0) {
        if (i - wordStart <= 16 && this.bloom[hash & BLOOM_BITS] === 1) this.mark(present, text, wordStart, i, hash);
        wordStart = -1;
      }
      if (kind & BASE64) {
        if (runStart < 0) runStart = i;
      } else if (runStart >= 0) {
        if (i - runStart >= minRun) runs.push(runStart, i);
        runStart = -1;
      }
    }
    return { present, runs };
  }

  private mark(present: Uint8Array, text: string, start: number, end: number, hash: number): void {
    const id = this.ids.get(hash);
    if (id === undefined) return;
    const word = this.words[id]!;
    if (end - start !== word.length) return;
    for (let k = 0; k < word.length; k++) if ((text.charCodeAt(start + k) | 32) !== word.charCodeAt(k)) return;
    present[id] = 1;
  }
}

function hashWord(s: string): number {
  let hash = 0;
  for (let i = 0; i < s.length; i++) hash = (Math.imul(hash, 31) + (s.charCodeAt(i) | 32)) & 0x3fffffff;
  return hash;
}
