import type { Detector, Finding, FindingCategory } from "./types";

/**
 * Builds a detector whose `detect` can never throw: a bug or an engine limit (a stack overflow
 * on a pathological input) must degrade to "nothing found", not to a failed request. Non-string
 * input (a caller passing `unknown` through) scans as empty.
 */
export function defineDetector(
  id: string,
  category: FindingCategory,
  scan: (text: string, emit: Emit) => void,
): Detector {
  return {
    id,
    category,
    detect(text: string): Finding[] {
      if (typeof text !== "string" || text.length === 0) return [];
      const findings: Finding[] = [];
      const emit: Emit = (label, start, end, confidence, score) => {
        // Out-of-range spans cannot happen by construction; a confidence pushed to 0 by context
        // means "not this" and is not worth reporting.
        if (!(start >= 0 && end > start && end <= text.length) || !(confidence > 0)) return;
        const f: Finding = { detector: id, category, label, start, end, confidence: clamp01(confidence) };
        if (score !== undefined) f.score = clamp01(score);
        findings.push(f);
      };
      try {
        scan(text, emit);
      } catch {
        return findings;
      }
      return findings;
    },
  };
}

export type Emit = (label: string, start: number, end: number, confidence: number, score?: number) => void;

export function clamp01(n: number): number {
  if (!(n > 0)) return 0;
  return n > 1 ? 1 : Math.round(n * 1000) / 1000;
}
