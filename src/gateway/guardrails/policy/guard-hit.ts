import type { PolicyAction } from "./schema";

/**
 * One thing a policy rule found in a request or an answer. Hits name the policy, rule, detector
 * and label, and where (offsets into the scanned text) — never the matched text itself, so they
 * can go to the request log, the console and error messages as they are.
 */
export interface GuardHit {
  policy: string;
  policyName: string;
  rule: string;
  detector: string;
  label: string;
  action: PolicyAction;
  stage: "input" | "output";
  /** What was scanned: `messages[2].content`, `choices[0].message.content`, `model`, `request`. */
  location: string;
  /** UTF-16 offsets into that text (0, 0 for request-level checks such as size and model). */
  start: number;
  end: number;
  confidence: number;
}

/** The strongest action among hits, for the request log's summary column. */
export function actionSummary(hits: readonly GuardHit[]): PolicyAction | null {
  let best: PolicyAction | null = null;
  for (const hit of hits) {
    if (best === null || ACTION_RANK[hit.action] > ACTION_RANK[best]) best = hit.action;
  }
  return best;
}

/** Precedence: block wins over everything, then reroute, then mask/redact, then flag. */
export const ACTION_RANK: Readonly<Record<PolicyAction, number>> = {
  flag: 0,
  redact: 1,
  mask: 2,
  reroute: 3,
  block: 4,
};
