import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createKeywordDetector, createRegexDetector, DetectorConfigError, MAX_PATTERN_LENGTH } from "~/gateway/guardrails/detectors";
import { AhoCorasick } from "~/gateway/guardrails/detectors/custom/aho-corasick";
import { unsafeRegexReason } from "~/gateway/guardrails/detectors/custom/regex-safety";

const texts = (findings: { start: number; end: number }[], text: string) => findings.map((f) => text.slice(f.start, f.end));

describe("createRegexDetector", () => {
  it("reports every match with the configured label", () => {
    const d = createRegexDetector({ id: "custom.ticket", label: "TICKET", pattern: "\\bTCK-\\d{3,8}\\b", flags: "i" });
    const text = "see TCK-1234 and tck-99999, not TCK-12";
    const findings = d.detect(text);
    expect(texts(findings, text)).toEqual(["TCK-1234", "tck-99999"]);
    expect(findings.every((f) => f.detector === "custom.ticket" && f.category === "custom" && f.label === "TICKET")).toBe(true);
  });

  it("refuses patterns that do not compile, are too long, or carry unsupported flags", () => {
    const attempt = (pattern: string, flags?: string) => () => createRegexDetector({ id: "c", label: "C", pattern, ...(flags ? { flags } : {}) });
    expect(attempt("(unclosed")).toThrow(DetectorConfigError);
    expect(attempt("(unclosed")).toThrow(/does not compile/);
    expect(attempt("a".repeat(MAX_PATTERN_LENGTH + 1))).toThrow(/longer than/);
    expect(attempt("")).toThrow(/non-empty/);
    expect(attempt("abc", "g")).toThrow(/flags/);
    expect(attempt("abc", "y")).toThrow(/flags/);
    expect(attempt("abc", "ii")).toThrow(/flags/);
  });

  it("refuses catastrophic-backtracking shapes and backreferences", () => {
    for (const p of ["(a+)+$", "(\\w*\\s?)*x", "(?:x{1,9}){2,}", "(a|ab)*c", "((ab)+)+", "(a)\\1", "(?<n>a)\\k<n>"]) {
      expect(unsafeRegexReason(p), p).not.toBeNull();
      expect(() => createRegexDetector({ id: "c", label: "C", pattern: p }), p).toThrow(/refused/);
    }
    for (const p of ["\\bTCK-\\d{3,8}\\b", "(?:ab)?c+", "[a-z]+@[a-z]+\\.com", "(foo|bar)", "(\\d{3})-(\\d{4})", "[(+)*]+", "a{1}(b)+"]) {
      expect(unsafeRegexReason(p), p).toBeNull();
    }
  });

  it("scans only the first maxInputChars characters and caps findings", () => {
    const d = createRegexDetector({ id: "c", label: "C", pattern: "x", maxInputChars: 10, maxFindings: 3 });
    expect(d.detect("xxxxxxxx").length).toBe(3);
    const far = createRegexDetector({ id: "c", label: "C", pattern: "needle", maxInputChars: 10 });
    expect(far.detect(`${"a".repeat(20)}needle`)).toEqual([]);
  });

  it("skips empty matches instead of looping", () => {
    const d = createRegexDetector({ id: "c", label: "C", pattern: "a*" });
    expect(texts(d.detect("baab"), "baab")).toEqual(["aa"]);
  });
});

describe("AhoCorasick", () => {
  it("finds exactly what a naive search finds", () => {
    const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "é"), minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 8 }), fc.string({ unit: fc.constantFrom("a", "b", "c", "é", " "), maxLength: 60 }), (keywords, text) => {
        const automaton = new AhoCorasick(keywords, (c) => c);
        const got: string[] = [];
        automaton.search(text, (m) => {
          got.push(`${m.start}:${keywords[m.keyword]}`);
          return true;
        });
        const expected: string[] = [];
        keywords.forEach((k) => {
          for (let i = text.indexOf(k); i !== -1; i = text.indexOf(k, i + 1)) expected.push(`${i}:${k}`);
        });
        expect(got.sort()).toEqual(expected.sort());
      }),
      { numRuns: 300 },
    );
  });
});

describe("createKeywordDetector", () => {
  it("matches whole words, case-insensitively, keeping the earliest longest match", () => {
    const d = createKeywordDetector({ id: "custom.names", label: "CODENAME", keywords: ["Falcon", "falcon nine", "art"] });
    const text = "FALCON NINE launched; the falcon landed. Start the art show. Falcons fly.";
    expect(texts(d.detect(text), text)).toEqual(["FALCON NINE", "falcon", "art"]);
  });

  it("can be case-sensitive and match inside words", () => {
    const d = createKeywordDetector({ id: "c", label: "C", keywords: ["API"], caseSensitive: true, wholeWord: false });
    const text = "APIs and api and myAPI";
    expect(texts(d.detect(text), text)).toEqual(["API", "API"]);
  });

  it("keeps offsets right when lower-casing would change a string's length", () => {
    // "İ".toLowerCase() is two code units; folding per code unit keeps offsets aligned.
    const d = createKeywordDetector({ id: "c", label: "C", keywords: ["istanbul"] });
    const text = "İİ İstanbul and istanbul";
    expect(texts(d.detect(text), text)).toEqual(["istanbul"]);
    // A character whose lower case is longer ("İ") folds to itself: it matches only itself.
    const dotted = createKeywordDetector({ id: "c", label: "C", keywords: ["İstanbul"] });
    expect(texts(dotted.detect(text), text)).toEqual(["İstanbul"]);
  });

  it("allows punctuation at keyword edges", () => {
    const d = createKeywordDetector({ id: "c", label: "C", keywords: ["C++", ".NET"] });
    const text = "We use C++ and .NET daily";
    expect(texts(d.detect(text), text)).toEqual(["C++", ".NET"]);
  });

  it("handles a thousand keywords", () => {
    const keywords = Array.from({ length: 1000 }, (_, i) => `project-${i}`);
    const d = createKeywordDetector({ id: "c", label: "C", keywords });
    const text = `status of project-7, project-999 and project-1000 (unknown)`;
    expect(texts(d.detect(text), text)).toEqual(["project-7", "project-999"]);
  });

  it("refuses empty lists, blank keywords and oversized lists", () => {
    expect(() => createKeywordDetector({ id: "c", label: "C", keywords: [] })).toThrow(DetectorConfigError);
    expect(() => createKeywordDetector({ id: "c", label: "C", keywords: ["ok", "  "] })).toThrow(/non-empty/);
    expect(() => createKeywordDetector({ id: "c", label: "C", keywords: ["x".repeat(300)] })).toThrow(/at most/);
    expect(() => createKeywordDetector({ id: "c", label: "C", keywords: Array.from({ length: 10_001 }, (_, i) => `k${i}`) })).toThrow(/at most/);
  });
});
