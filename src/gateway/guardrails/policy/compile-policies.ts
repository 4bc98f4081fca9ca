import { BUILT_IN_DETECTORS, builtInDetector } from "../detectors/built-in";
import { createKeywordDetector } from "../detectors/custom/keyword-detector";
import { createRegexDetector } from "../detectors/custom/regex-detector";
import { createSizeDetector, type SizeDetector } from "../detectors/size/size-detector";
import { DEFAULT_MIN_CONFIDENCE, type Detector } from "../detectors/types";
import { DETECTOR_CATEGORIES, type Policy, type PolicyRule } from "./schema";

/**
 * Policies turned into what the engine runs: detectors built once per policy list (custom
 * regexes compiled, keyword automata built), split by stage and sorted by priority. The result
 * is cached per list instance, so a directory that hands out the same list while it is unchanged
 * pays for compiling once.
 */

export interface CompiledRule {
  policy: Policy;
  rule: PolicyRule;
  /** Text detectors (built-in and custom). */
  detectors: readonly Detector[];
  minConfidence: number;
  size: SizeDetector | null;
}

export interface CompiledPolicy {
  policy: Policy;
  rules: readonly CompiledRule[];
  /** True when some rule scans text (detectors / regex / keywords). */
  scansText: boolean;
}

export interface CompiledPolicySet {
  input: readonly CompiledPolicy[];
  output: readonly CompiledPolicy[];
}

export const EMPTY_POLICY_SET: CompiledPolicySet = Object.freeze({
  input: Object.freeze([]),
  output: Object.freeze([]),
}) as CompiledPolicySet;

function detectorsOf(rule: PolicyRule, policyId: string): Detector[] {
  const out: Detector[] = [];
  const seen = new Set<string>();
  const add = (d: Detector) => {
    if (!seen.has(d.id)) {
      seen.add(d.id);
      out.push(d);
    }
  };
  for (const ref of rule.detectors ?? []) {
    if ((DETECTOR_CATEGORIES as readonly string[]).includes(ref)) {
      for (const d of BUILT_IN_DETECTORS) if (d.category === ref) add(d);
    } else {
      const d = builtInDetector(ref);
      if (d) add(d);
    }
  }
  rule.regex?.forEach((r, i) =>
    add(createRegexDetector({ id: `custom.${policyId}.${rule.id}.re${i}`, label: r.label, pattern: r.pattern, flags: r.flags })),
  );
  rule.keywords?.forEach((k, i) =>
    add(
      createKeywordDetector({
        id: `custom.${policyId}.${rule.id}.kw${i}`,
        label: k.label,
        keywords: k.words,
        caseSensitive: k.caseSensitive,
        wholeWord: k.wholeWord,
      }),
    ),
  );
  return out;
}

function compileRule(policy: Policy, rule: PolicyRule): CompiledRule {
  const size =
    rule.maxChars !== undefined || rule.maxMessages !== undefined
      ? createSizeDetector({ id: "size.limit", maxChars: rule.maxChars, maxMessages: rule.maxMessages })
      : null;
  return {
    policy,
    rule,
    detectors: detectorsOf(rule, policy.id),
    minConfidence: rule.minConfidence ?? DEFAULT_MIN_CONFIDENCE,
    size,
  };
}

function compilePolicy(policy: Policy): CompiledPolicy | null {
  try {
    const rules = policy.rules.map((r) => compileRule(policy, r));
    return { policy, rules, scansText: rules.some((r) => r.detectors.length > 0) };
  } catch {
    // Saved policies were validated (patterns compiled) on the way in; one that still fails
    // (written by hand, or by an older version) is left out rather than failing every request.
    return null;
  }
}

const byPriority = (a: Policy, b: Policy) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function compilePolicies(policies: readonly Policy[]): CompiledPolicySet {
  const enabled = policies.filter((p) => p.enabled).sort(byPriority);
  if (enabled.length === 0) return EMPTY_POLICY_SET;
  const compiled = enabled.map(compilePolicy).filter((p): p is CompiledPolicy => p !== null);
  return {
    input: compiled.filter((p) => p.policy.stage !== "output"),
    output: compiled.filter((p) => p.policy.stage !== "input"),
  };
}

const compiledLists = new WeakMap<readonly Policy[], CompiledPolicySet>();

/** `compilePolicies`, memoized per list instance. */
export function compiledPoliciesFor(policies: readonly Policy[]): CompiledPolicySet {
  let set = compiledLists.get(policies);
  if (set === undefined) {
    set = compilePolicies(policies);
    compiledLists.set(policies, set);
  }
  return set;
}
