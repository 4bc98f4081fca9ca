import { describe, expect, it } from "vitest";
import { CORPORA, loadCorpus, scoreCorpus } from "./corpus";

/**
 * Precision and recall of every detector on its labelled corpus, against the floors in
 * corpus.ts (documented in docs/guardrails.md). A detector change that loses accuracy fails here;
 * `npx tsx scripts/guardrails-report.ts --misses` shows what it now gets wrong.
 */

/** Detectors whose span is fully determined by the format: bounds must match the label exactly. */
const EXACT_SPAN = new Set(["email", "ssn", "credit-card", "iban", "provider-keys", "jwt", "private-key", "connection-string"]);

describe.each(CORPORA)("corpus $name", (spec) => {
  const lines = loadCorpus(spec.name);

  it("has at least 40 positives and 40 look-alike negatives", () => {
    const positives = lines.filter((l) => ("positive" in l ? l.positive : l.spans.length > 0)).length;
    expect(positives).toBeGreaterThanOrEqual(40);
    expect(lines.length - positives).toBeGreaterThanOrEqual(40);
  });

  it(`meets precision ≥ ${spec.minPrecision} and recall ≥ ${spec.minRecall}`, () => {
    const score = scoreCorpus(spec, lines);
    const misses = score.misses.map((m) => `${m.kind} ${JSON.stringify(m.what)} in ${JSON.stringify(m.text.slice(0, 120))}`);
    expect(score.precision, misses.join("\n")).toBeGreaterThanOrEqual(spec.minPrecision);
    expect(score.recall, misses.join("\n")).toBeGreaterThanOrEqual(spec.minRecall);
  });
});

describe.each(CORPORA.filter((c) => EXACT_SPAN.has(c.name)))("corpus $name spans", (spec) => {
  it("are exact (same bounds as the label) for ≥ 95% of found items", () => {
    const score = scoreCorpus(spec);
    expect(score.tp).toBeGreaterThan(0);
    expect(score.exact / score.tp).toBeGreaterThanOrEqual(0.95);
  });
});
