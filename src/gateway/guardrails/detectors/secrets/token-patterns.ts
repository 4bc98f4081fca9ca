import { defineDetector, type Emit } from "../define-detector";
import type { Detector } from "../types";
import { charClassCount, looksLikePlaceholder, shannonEntropy } from "../text/entropy";

/**
 * Secrets with a recognisable shape: a fixed prefix ("ghp_", "sk-ant-", "AKIA") and a body of
 * bounded length. Each pattern starts with a literal, which the regex engine scans for with a
 * fast substring search, so a family costs little on text that does not contain its prefix.
 */

export interface TokenPattern {
  label: string;
  /** Global regex; every quantifier bounded. */
  pattern: RegExp;
  confidence: number;
  /** Below this entropy (bits/char, default 3): a placeholder or a word. */
  minEntropy?: number;
  /** Fewer character classes (lower, upper, digit, other; default 2): not random. */
  minClasses?: number;
  /** Extra judgement on the match; returns the confidence to use (0 drops it). */
  refine?: (match: string, text: string, start: number) => number;
}

/** Characters that continue a token: a match glued to one is a slice of something longer. */
function isTokenCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

export function scanTokenPatterns(text: string, emit: Emit, patterns: readonly TokenPattern[]): void {
  // Patterns of one family can overlap (a legacy key matches the generic shape too): the first
  // pattern to claim a span keeps it.
  const claimed: number[] = [];
  for (const p of patterns) {
    p.pattern.lastIndex = 0;
    for (let m = p.pattern.exec(text); m !== null; m = p.pattern.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (isTokenCode(text.charCodeAt(start - 1)) || isTokenCode(text.charCodeAt(end))) continue;
      if (claimed.includes(start)) continue;
      const confidence = judgeToken(p, m[0], text, start);
      if (confidence <= 0) continue;
      claimed.push(start);
      emit(p.label, start, end, confidence);
    }
  }
}

function judgeToken(p: TokenPattern, token: string, text: string, start: number): number {
  if (looksLikePlaceholder(token)) return 0.15;
  if (shannonEntropy(token) < (p.minEntropy ?? 3) || charClassCount(token) < (p.minClasses ?? 2)) return 0.15;
  return p.refine ? p.refine(token, text, start) : p.confidence;
}

/** A detector for one provider family; `extra` adds context-dependent finds (AWS secret keys). */
export function tokenFamilyDetector(
  id: string,
  patterns: readonly TokenPattern[],
  extra?: (text: string, emit: Emit) => void,
): Detector {
  return defineDetector(id, "secret", (text, emit) => {
    scanTokenPatterns(text, emit, patterns);
    extra?.(text, emit);
  });
}
