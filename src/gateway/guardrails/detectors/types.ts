/**
 * The detector layer guardrail policies stand on: pure functions from text to findings.
 * Detectors never throw and run in time linear in the input, so a policy can run a whole set
 * of them on every request inside the gateway's latency budget.
 */

export type FindingCategory = "pii" | "secret" | "injection" | "toxicity" | "custom" | "size";

export interface Finding {
  /** Stable detector id, e.g. "pii.email". */
  detector: string;
  category: FindingCategory;
  /** What was found, upper snake case, e.g. "EMAIL", "AWS_ACCESS_KEY_ID". */
  label: string;
  /** UTF-16 offsets into the scanned text: `text.slice(start, end)` is the finding. */
  start: number;
  end: number;
  /** How sure the detector is that this span is what `label` says (0..1). */
  confidence: number;
  /** Detector-specific magnitude: injection likelihood, toxicity severity, size overflow ratio. */
  score?: number;
  /**
   * Set by `detectAll` when this finding lies inside another kept finding of a different
   * category (an email inside a connection string): the id of the enclosing detector.
   */
  within?: string;
}

export interface Detector {
  readonly id: string;
  readonly category: FindingCategory;
  detect(text: string): Finding[];
}

/** Confidence at or above which a finding counts as a detection in the corpus evaluation. */
export const DEFAULT_MIN_CONFIDENCE = 0.5;
