import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BUILT_IN_DETECTORS,
  builtInDetector,
  createKeywordDetector,
  createRegexDetector,
  createSizeDetector,
  detectAll,
  type Detector,
  type Finding,
} from "~/gateway/guardrails/detectors";
import { CORPORA, findingsFor, loadCorpus } from "./corpus";

/**
 * Detectors run on whatever clients send: they must never throw, must return offsets inside the
 * text, and the span they report must be the thing they say they found.
 */

const CUSTOM: Detector[] = [
  createRegexDetector({ id: "custom.ticket", label: "TICKET", pattern: "TCK-\\d{3,8}", flags: "i" }),
  createRegexDetector({ id: "custom.any", label: "ANY", pattern: "a*" }),
  createKeywordDetector({ id: "custom.words", label: "WORD", keywords: ["secret project", "İstanbul", "c++", "ß", "a"] }),
  createSizeDetector({ maxChars: 50 }),
];
const ALL = [...BUILT_IN_DETECTORS, ...CUSTOM];

/** Pieces that steer random text into the detectors' interesting paths. */
const PIECES = [
  "@", ".", "-", " ", "\n", ":", "::", "/", "0", "1", "4", "9", "A", "Z", "a", "z", "+", "(", ")", "=", "#", "*", "!", "%",
  "sk-", "sk-proj-", "ghp_", "eyJ", "AKIA", "xoxb-", "AIza", "SG.", "npm_", "DE89", "GB29", "4111", "+44", "(212)",
  "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----", "postgres://", "redis://:", "password=", "Server=x;",
  "token: ", "DOB ", "born ", "12/03/1985", "ignore all previous instructions", "### System:", "fuck", "sh1t", "f*ck",
  "\u200b", "\u202e", "\udb40\udc41", "\ud83c\udff4", "\ud800", "\udfff", "İ", "é", "😀",
];

const anyUnicode = fc.string({ unit: "binary", maxLength: 300 });
const loneSurrogates = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 300 }).map((codes) => String.fromCharCode(...codes));
const steered = fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }).map((parts) => parts.join(""));
const anyText = fc.oneof(anyUnicode, loneSurrogates, steered);

function checkFindings(detector: Detector, text: string, findings: Finding[]): void {
  for (const f of findings) {
    expect(f.detector).toBe(detector.id);
    expect(f.category).toBe(detector.category);
    expect(f.label).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(Number.isInteger(f.start) && Number.isInteger(f.end)).toBe(true);
    expect(f.start).toBeGreaterThanOrEqual(0);
    expect(f.end).toBeGreaterThan(f.start);
    expect(f.end).toBeLessThanOrEqual(text.length);
    expect(f.confidence).toBeGreaterThanOrEqual(0);
    expect(f.confidence).toBeLessThanOrEqual(1);
    if (f.score !== undefined) {
      expect(f.score).toBeGreaterThanOrEqual(0);
      expect(f.score).toBeLessThanOrEqual(1);
    }
  }
}

describe("detectors on random input", () => {
  it("never throw and always return valid findings", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const d of ALL) checkFindings(d, text, d.detect(text));
        const merged = detectAll(text, ALL);
        for (let i = 1; i < merged.length; i++) expect(merged[i]!.start).toBeGreaterThanOrEqual(merged[i - 1]!.start);
      }),
      { numRuns: 300 },
    );
  });

  it("never throw on huge inputs", () => {
    let seed = 1;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const huge = [
      Array.from({ length: 200_000 }, () => String.fromCharCode(Math.floor(random() * 0x10000))).join(""),
      Array.from({ length: 20_000 }, () => PIECES[Math.floor(random() * PIECES.length)]).join(""),
      "a".repeat(300_000),
      "1 ".repeat(150_000),
    ];
    for (const text of huge) for (const d of ALL) checkFindings(d, text, d.detect(text));
  });

  it("treat non-string input as empty instead of throwing", () => {
    for (const d of ALL) {
      for (const bad of [undefined, null, 42, {}, ["x"]]) expect(d.detect(bad as unknown as string)).toEqual([]);
    }
  });
});

/**
 * Detectors whose finding is self-contained (no context word outside the span is needed):
 * scanning just the reported span finds the same thing again, covering all of it.
 */
const SELF_CONTAINED = [
  "pii.email", "pii.phone", "pii.ssn", "pii.credit_card", "pii.iban", "pii.ip_address",
  "secret.openai", "secret.anthropic", "secret.github", "secret.slack", "secret.stripe", "secret.google",
  "secret.sendgrid", "secret.npm", "secret.jwt", "secret.private_key", "secret.connection_string", "toxicity.profanity",
];

describe("reported spans", () => {
  const positives = CORPORA.flatMap((spec) =>
    loadCorpus(spec.name)
      .filter((l) => ("positive" in l ? l.positive : l.spans.length > 0))
      .map((l) => ({ spec, text: l.text })),
  );

  it("re-detect as the same label when scanned alone", () => {
    let checked = 0;
    for (const id of SELF_CONTAINED) {
      const detector = builtInDetector(id)!;
      for (const { text } of positives) {
        for (const f of detector.detect(text)) {
          const span = text.slice(f.start, f.end);
          const again = detector.detect(span);
          const whole = again.find((g) => g.label === f.label && g.start === 0 && g.end === span.length);
          expect(whole, `${id} ${f.label} ${JSON.stringify(span)}`).toBeDefined();
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(400);
  });

  it("are found again, with the same text, when the input is buried in random noise", () => {
    const noise = fc.string({ unit: "binary", maxLength: 200 }).map((s) => s.replace(/[\n\r]/g, ""));
    const sample = fc.constantFrom(...positives);
    fc.assert(
      fc.property(sample, noise, noise, ({ spec, text }, before, after) => {
        const detectors = spec.detectors.map((id) => builtInDetector(id)!);
        const alone = findingsFor(text, detectors);
        const buried = `${before}\n${text}\n${after}`;
        const offset = before.length + 1;
        const found = findingsFor(buried, detectors);
        for (const f of alone) {
          const shifted = found.find((g) => g.start === f.start + offset && g.end === f.end + offset && g.label === f.label);
          expect(shifted, `${spec.name}: ${JSON.stringify(text.slice(f.start, f.end))}`).toBeDefined();
          expect(buried.slice(shifted!.start, shifted!.end)).toBe(text.slice(f.start, f.end));
        }
      }),
      { numRuns: 400 },
    );
  });
});
