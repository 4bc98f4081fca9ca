import { defineDetector, type Emit } from "../define-detector";
import { findEncodedPayloads, MIN_BASE64 } from "./encoded-payloads";
import { PHRASE_FEATURES } from "./phrase-features";
import { findSmuggling, INVISIBLE_CHARS, type SmugglingSpan } from "./unicode-smuggling";
import { WordPresence } from "./word-presence";

/**
 * Prompt-injection and jailbreak heuristics. Each triggering phrase, encoded payload or run of
 * invisible characters is a feature with a weight; the text's score combines the strongest
 * weight of each feature label as a noisy-OR (1 − Π(1 − w)), so two independent weak signals
 * add up while one phrase repeated ten times does not.
 *
 * Output: one finding per triggering span (label = the feature, e.g. IGNORE_INSTRUCTIONS), all
 * carrying the same `score` and `confidence`: the text-level score. A policy thresholds on it;
 * a redactor or a reviewer uses the spans. No finding at all when nothing triggers.
 */

interface Hit {
  label: string;
  weight: number;
  start: number;
  end: number;
}

const VOCABULARY = new WordPresence(PHRASE_FEATURES);
/** Per feature: its word groups as vocabulary ids. */
const NEEDS = PHRASE_FEATURES.map((f) => f.needs.map((group) => group.map((w) => VOCABULARY.idOf(w))));
/** Features run on decoded payloads too, but payloads are not decoded again (no nesting). */
const MAX_DECODED_SCAN = 4096;

export const promptInjectionDetector = defineDetector("injection.prompt", "injection", (text, emit) => {
  const scan = VOCABULARY.scan(text, MIN_BASE64);
  const hits = phraseHits(text, scan.present);
  for (const payload of findEncodedPayloads(text, scan.runs)) {
    const inner = phraseHits(payload.decoded.slice(0, MAX_DECODED_SCAN));
    const strongest = inner.reduce((w, h) => Math.max(w, h.weight), 0);
    // Hidden instructions are worse than visible ones; readable but harmless payloads are weak.
    const weight = strongest >= 0.5 ? Math.min(0.95, strongest + 0.1) : 0.25;
    hits.push({ label: "ENCODED_INSTRUCTIONS", weight, start: payload.start, end: payload.end });
  }
  const smuggled = findSmuggling(text);
  if (smuggled.length > 0) hits.push(...smugglingHits(text, smuggled));
  if (hits.length > 0) emitHits(hits, emit);
});

/**
 * Invisible characters: tag characters spelling hidden ASCII, zero-width characters splitting
 * words ("ig\u200bnore"), bidi overrides. Weight grows with how many there are, and jumps when
 * the hidden text — or the text with the invisible characters removed — reads as an injection.
 */
function smugglingHits(text: string, spans: readonly SmugglingSpan[]): Hit[] {
  const zeroWidth = spans.filter((s) => s.label === "ZERO_WIDTH").reduce((n, s) => n + s.count, 0);
  let revealed = false;
  if (zeroWidth > 0) {
    revealed = phraseHits(text.replace(INVISIBLE_CHARS, "")).some((h) => h.weight >= 0.5);
  }
  return spans.map((s) => {
    let weight: number;
    if (s.label === "TAG_CHARACTERS") {
      weight = s.hidden && phraseHits(s.hidden).some((h) => h.weight >= 0.5) ? 0.97 : s.count >= 4 ? 0.9 : 0.5;
    } else if (s.label === "BIDI_OVERRIDE") {
      weight = 0.4;
    } else {
      weight = revealed ? 0.95 : Math.min(0.85, 0.3 + 0.15 * zeroWidth);
    }
    const label = s.label === "BIDI_OVERRIDE" ? "BIDI_OVERRIDE" : "UNICODE_SMUGGLING";
    return { label, weight, start: s.start, end: s.end };
  });
}

/** Score a text alone (0 when nothing triggers): what a policy compares with its threshold. */
export function injectionScore(text: string): number {
  const findings = promptInjectionDetector.detect(text);
  return findings.length > 0 ? findings[0]!.confidence : 0;
}

function phraseHits(text: string, present = VOCABULARY.scan(text).present): Hit[] {
  let lower: string | null = null;
  const hits: Hit[] = [];
  PHRASE_FEATURES.forEach((feature, index) => {
    if (!NEEDS[index]!.every((group) => group.some((id) => present[id] === 1))) return;
    if (feature.literals) {
      lower ??= text.toLowerCase();
      const haystack = lower;
      if (!feature.literals.some((l) => haystack.includes(l))) return;
    }
    feature.pattern.lastIndex = 0;
    for (let m = feature.pattern.exec(text); m !== null; m = feature.pattern.exec(text)) {
      if (m[0].length === 0) {
        feature.pattern.lastIndex++;
        continue;
      }
      const [start, end] = trimSpan(text, m.index, m.index + m[0].length);
      if (end > start) hits.push({ label: feature.label, weight: feature.weight, start, end });
    }
  });
  return hits;
}

/** Spans start and end on visible characters (patterns may match a leading line break). */
function trimSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return [start, end];
}

function emitHits(hits: Hit[], emit: Emit): void {
  const strongest = new Map<string, number>();
  for (const h of hits) strongest.set(h.label, Math.max(strongest.get(h.label) ?? 0, h.weight));
  let miss = 1;
  for (const w of strongest.values()) miss *= 1 - w;
  const score = 1 - miss;
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  let lastEnd = -1;
  for (const h of hits) {
    // Features can match overlapping text ("ignore all previous instructions" is also
    // "ignore … instructions"): keep the first, longest span.
    if (h.start < lastEnd) continue;
    lastEnd = h.end;
    emit(h.label, h.start, h.end, score, score);
  }
}
