/**
 * Precision and recall of the guardrail detectors on the labelled corpus
 * (tests/fixtures/guardrails), as the markdown table in README.md. With --misses, also lists
 * every false negative and false positive.
 *
 *   npx tsx scripts/guardrails-report.ts [--misses]
 */
import { CORPORA, formatTable, scoreCorpus } from "../tests/guardrails/corpus";

const scores = CORPORA.map((spec) => scoreCorpus(spec));
console.log(formatTable(scores));
if (process.argv.includes("--misses")) {
  for (const s of scores) {
    for (const m of s.misses) console.log(`${s.name}\t${m.kind}\t${JSON.stringify(m.what)}\t${JSON.stringify(m.text.slice(0, 160))}`);
  }
}
