import { readFileSync } from "node:fs";
import path from "node:path";
import {
  builtInDetector,
  DEFAULT_MIN_CONFIDENCE,
  mergeFindings,
  type Detector,
  type Finding,
} from "~/gateway/guardrails/detectors";

/**
 * The labelled corpus (tests/fixtures/guardrails/*.jsonl) and its scoring, shared by the
 * precision/recall test and scripts/guardrails-report.ts.
 *
 * A line is either span-labelled — `{"text", "spans": ["exact substring", …]}`, an empty list
 * for a negative — or document-labelled — `{"text", "positive": true|false}` (prompt
 * injection, where the evidence is the whole text). Findings count when their confidence is
 * ≥ DEFAULT_MIN_CONFIDENCE. Span scoring: an expected span is found (TP) when a finding
 * overlaps it, missed (FN) otherwise; a finding overlapping no expected span is a false
 * positive (FP). Document scoring: one TP/FN/FP/TN per line.
 */

export interface CorpusSpec {
  /** Name of the .jsonl file and of the table row. */
  name: string;
  detectors: readonly string[];
  /** Floors the test enforces; see docs/guardrails.md for why each is set where it is. */
  minPrecision: number;
  minRecall: number;
}

const PROVIDER_FAMILIES = [
  "secret.openai",
  "secret.anthropic",
  "secret.aws",
  "secret.github",
  "secret.slack",
  "secret.stripe",
  "secret.google",
  "secret.sendgrid",
  "secret.twilio",
  "secret.npm",
];

export const CORPORA: readonly CorpusSpec[] = [
  { name: "email", detectors: ["pii.email"], minPrecision: 0.95, minRecall: 0.95 },
  { name: "phone", detectors: ["pii.phone"], minPrecision: 0.9, minRecall: 0.85 },
  { name: "ssn", detectors: ["pii.ssn"], minPrecision: 0.95, minRecall: 0.9 },
  { name: "credit-card", detectors: ["pii.credit_card"], minPrecision: 0.95, minRecall: 0.95 },
  { name: "iban", detectors: ["pii.iban"], minPrecision: 0.95, minRecall: 0.95 },
  { name: "ip-address", detectors: ["pii.ip_address"], minPrecision: 0.95, minRecall: 0.9 },
  { name: "date-of-birth", detectors: ["pii.date_of_birth"], minPrecision: 0.9, minRecall: 0.9 },
  { name: "provider-keys", detectors: PROVIDER_FAMILIES, minPrecision: 0.95, minRecall: 0.95 },
  { name: "jwt", detectors: ["secret.jwt"], minPrecision: 0.95, minRecall: 0.95 },
  { name: "private-key", detectors: ["secret.private_key"], minPrecision: 0.95, minRecall: 0.95 },
  { name: "connection-string", detectors: ["secret.connection_string"], minPrecision: 0.95, minRecall: 0.9 },
  { name: "generic-secret", detectors: ["secret.generic"], minPrecision: 0.85, minRecall: 0.8 },
  { name: "injection", detectors: ["injection.prompt"], minPrecision: 0.9, minRecall: 0.85 },
  { name: "toxicity", detectors: ["toxicity.profanity"], minPrecision: 0.9, minRecall: 0.9 },
];

export type CorpusLine = { text: string; spans: string[] } | { text: string; positive: boolean };

export const FIXTURES_DIR = path.resolve(import.meta.dirname, "../fixtures/guardrails");

export function loadCorpus(name: string): CorpusLine[] {
  const raw = readFileSync(path.join(FIXTURES_DIR, `${name}.jsonl`), "utf8");
  return raw
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l, i) => {
      const parsed = JSON.parse(l) as CorpusLine;
      if (typeof parsed.text !== "string") throw new Error(`${name}.jsonl line ${i + 1}: no text`);
      return parsed;
    });
}

export function detectorsFor(spec: CorpusSpec): Detector[] {
  return spec.detectors.map((id) => {
    const d = builtInDetector(id);
    if (!d) throw new Error(`unknown detector ${id}`);
    return d;
  });
}

export interface Miss {
  text: string;
  kind: "FN" | "FP";
  /** The missed expected span, or the false-positive finding's text. */
  what: string;
}

export interface CorpusScore {
  name: string;
  positives: number;
  negatives: number;
  tp: number;
  fp: number;
  fn: number;
  /** Expected spans matched by a finding with exactly the same bounds. */
  exact: number;
  precision: number;
  recall: number;
  misses: Miss[];
}

export function findingsFor(text: string, detectors: readonly Detector[]): Finding[] {
  const all = detectors.flatMap((d) => d.detect(text)).filter((f) => f.confidence >= DEFAULT_MIN_CONFIDENCE);
  return mergeFindings(all);
}

/** Offsets of each expected span in order of appearance (repeated substrings are found in turn). */
function locate(text: string, spans: readonly string[]): [number, number][] {
  const out: [number, number][] = [];
  const used = new Set<number>();
  for (const s of spans) {
    let at = text.indexOf(s);
    while (at !== -1 && used.has(at)) at = text.indexOf(s, at + 1);
    if (at === -1) throw new Error(`span ${JSON.stringify(s)} not in ${JSON.stringify(text)}`);
    used.add(at);
    out.push([at, at + s.length]);
  }
  return out;
}

export function scoreCorpus(spec: CorpusSpec, lines: readonly CorpusLine[] = loadCorpus(spec.name)): CorpusScore {
  const detectors = detectorsFor(spec);
  let positives = 0;
  let negatives = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let exact = 0;
  const misses: Miss[] = [];
  for (const line of lines) {
    const findings = findingsFor(line.text, detectors);
    if ("positive" in line) {
      if (line.positive) {
        positives++;
        if (findings.length > 0) tp++;
        else {
          fn++;
          misses.push({ text: line.text, kind: "FN", what: "(whole text)" });
        }
      } else {
        negatives++;
        if (findings.length > 0) {
          fp++;
          misses.push({ text: line.text, kind: "FP", what: line.text.slice(findings[0]!.start, findings[0]!.end) });
        }
      }
      continue;
    }
    if (line.spans.length > 0) positives++;
    else negatives++;
    const expected = locate(line.text, line.spans);
    for (const [s, e] of expected) {
      const hit = findings.find((f) => f.start < e && s < f.end);
      if (hit) {
        tp++;
        if (hit.start === s && hit.end === e) exact++;
      } else {
        fn++;
        misses.push({ text: line.text, kind: "FN", what: line.text.slice(s, e) });
      }
    }
    for (const f of findings) {
      if (!expected.some(([s, e]) => f.start < e && s < f.end)) {
        fp++;
        misses.push({ text: line.text, kind: "FP", what: line.text.slice(f.start, f.end) });
      }
    }
  }
  return {
    name: spec.name,
    positives,
    negatives,
    tp,
    fp,
    fn,
    exact,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    misses,
  };
}

/** The markdown table the README section carries. */
export function formatTable(scores: readonly CorpusScore[]): string {
  const rows = [
    "| detector | corpus | positives | negatives | precision | recall | floor (P / R) |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const s of scores) {
    const spec = CORPORA.find((c) => c.name === s.name)!;
    const ids = spec.detectors.length > 2 ? `${spec.detectors[0]!.split(".")[0]}.* (${spec.detectors.length} families)` : spec.detectors.join(", ");
    rows.push(
      `| ${ids} | ${s.name}.jsonl | ${s.positives} | ${s.negatives} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${spec.minPrecision} / ${spec.minRecall} |`,
    );
  }
  return rows.join("\n");
}
