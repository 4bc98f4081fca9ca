import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkText } from "~/server/knowledge/chunk";
import type { Chunk, DocumentSection, ParsedDocument } from "~/server/knowledge/types";

/** Invariants of chunkText on random texts (see the rules in src/server/knowledge/chunk/chunk-text.ts). */

const isSpace = (char: string | undefined) => char !== undefined && /\s/.test(char);
const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;
const CJK_STOPS = new Set(["。", "！", "？"]);

const word = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[a-z]{1,12}$/) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Z][a-z]{0,8}[.!?]$/) },
  { weight: 1, arbitrary: fc.constantFrom("e.g.", "Dr.", "3.14", "U.S.", "J.", "1.", "(see", "below.)", '"Stop."') },
  { weight: 1, arbitrary: fc.constantFrom("😀", "日本語。", "文。字", "Grüße", "naïve") },
  // Long words, some longer than any chunk, some of surrogate pairs only.
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 450 }).map((length) => "x".repeat(length)) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 230 }).map((pairs) => `a${"😀".repeat(pairs)}`) },
);
const gap = fc.constantFrom(" ", " ", " ", " ", "  ", "\n", "\n\n", "\n\n\n", "\t", " \u00a0");
const messyText = fc
  .array(fc.tuple(word, gap), { maxLength: 400 })
  .chain((pieces) =>
    fc.tuple(fc.constantFrom("", " ", "\n\n"), fc.constantFrom("", " ", "\n")).map(
      ([lead, trail]) => lead + pieces.map(([w, g]) => w + g).join("") + trail,
    ),
  );
const anyText = fc.oneof(messyText, fc.string({ unit: "grapheme", maxLength: 3000 }), fc.string({ unit: "binary", maxLength: 3000 }));
const options = fc.integer({ min: 100, max: 400 }).chain((size) =>
  fc.record({ size: fc.constant(size), overlap: fc.integer({ min: 0, max: Math.floor(size / 2) }) }),
);

function runLength(text: string, position: number): number {
  let start = position;
  while (start > 0 && !isSpace(text[start - 1])) start--;
  let end = position;
  while (end < text.length && !isSpace(text[end])) end++;
  return end - start;
}

/** A cut between two non-space characters is inside a word unless it follows a CJK full stop. */
function cutsInsideWord(text: string, position: number): boolean {
  return position > 0 && position < text.length && !isSpace(text[position - 1]) && !isSpace(text[position]) && !CJK_STOPS.has(text[position - 1] ?? "");
}

function checkInvariants(text: string, chunks: Chunk[], size: number, overlap: number): void {
  const contentStart = text.search(/\S/);
  if (contentStart === -1) {
    expect(chunks).toEqual([]);
    return;
  }
  const contentEnd = text.trimEnd().length;
  expect(chunks.length).toBeGreaterThan(0);
  expect(chunks[0]!.start).toBe(contentStart);
  expect(chunks.at(-1)!.end).toBe(contentEnd);
  for (const [index, chunk] of chunks.entries()) {
    expect(chunk.index).toBe(index);
    expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
    expect(chunk.end - chunk.start).toBeGreaterThan(0);
    expect(chunk.end - chunk.start).toBeLessThanOrEqual(size);
    expect(chunk.text).toBe(chunk.text.trim());
    expect(isLow(text.charCodeAt(chunk.start)) && isHigh(text.charCodeAt(chunk.start - 1))).toBe(false);
    expect(isHigh(text.charCodeAt(chunk.end - 1)) && isLow(text.charCodeAt(chunk.end))).toBe(false);
    if (cutsInsideWord(text, chunk.start)) expect(runLength(text, chunk.start)).toBeGreaterThan(size);
    if (cutsInsideWord(text, chunk.end)) expect(runLength(text, chunk.end - 1)).toBeGreaterThan(size);
    const previous = chunks[index - 1];
    if (previous === undefined) continue;
    expect(chunk.start).toBeGreaterThan(previous.start);
    expect(chunk.end).toBeGreaterThan(previous.end);
    // Coverage: anything between two chunks is whitespace; overlap never exceeds the option.
    if (chunk.start >= previous.end) expect(text.slice(previous.end, chunk.start).trim()).toBe("");
    else expect(previous.end - chunk.start).toBeLessThanOrEqual(overlap);
  }
}

describe("chunkText properties", () => {
  it("covers all text in exact slices no longer than size, overlapping by at most overlap", () => {
    fc.assert(
      fc.property(anyText, options, (text, { size, overlap }) => {
        checkInvariants(text, chunkText(text, { size, overlap }), size, overlap);
      }),
      { numRuns: 400 },
    );
  });

  it("overlaps by at least min(overlap/2, overlap − 25) when words are short", () => {
    const shortWord = fc.oneof(fc.stringMatching(/^[a-z]{1,10}$/), fc.stringMatching(/^[A-Z][a-z]{0,8}\.$/));
    const shortGap = fc.constantFrom(" ", "\n", "\n\n");
    const text = fc.array(fc.tuple(shortWord, shortGap), { minLength: 50, maxLength: 400 }).map((pieces) => pieces.map(([w, g]) => w + g).join("").trim());
    fc.assert(
      fc.property(text, options, (text, { size, overlap }) => {
        const chunks = chunkText(text, { size, overlap });
        for (let index = 1; index < chunks.length; index++) {
          const shared = chunks[index - 1]!.end - chunks[index]!.start;
          if (overlap > 25) expect(shared).toBeGreaterThanOrEqual(Math.min(Math.ceil(overlap / 2), overlap - 25));
          if (overlap === 0) expect(shared).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("labels chunks with the nearest heading and never overlaps back across one", () => {
    const docArb = fc
      .array(fc.tuple(fc.stringMatching(/^[A-Z][a-z]{2,8}$/), messyText), { minLength: 1, maxLength: 6 })
      .map((parts): ParsedDocument => {
        let text = "";
        const sections: DocumentSection[] = [];
        for (const [heading, body] of parts) {
          if (text !== "") text += "\n\n";
          sections.push({ heading, level: 2, start: text.length });
          text += `## ${heading}\n\n${body.trim() || "body"}`;
        }
        return { text, format: "md", sections, warnings: [] };
      });
    fc.assert(
      fc.property(docArb, options, (doc, { size, overlap }) => {
        const chunks = chunkText(doc, { size, overlap });
        checkInvariants(doc.text, chunks, size, overlap);
        const starts = doc.sections!.map((section) => section.start);
        for (const [index, chunk] of chunks.entries()) {
          const nearest = doc.sections!.filter((section) => section.start <= chunk.start).at(-1);
          expect(chunk.heading).toBe(nearest?.heading);
          const previous = chunks[index - 1];
          if (previous !== undefined) {
            expect(starts.some((start) => chunk.start < start && start <= previous.end)).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("attributes each chunk to the page its start falls on", () => {
    fc.assert(
      fc.property(fc.array(messyText, { minLength: 1, maxLength: 5 }), options, (pageTexts, { size, overlap }) => {
        let text = "";
        const pages = pageTexts.map((body, index) => {
          if (text !== "") text += "\n\n";
          const start = text.length;
          text += body.trim() || `page ${index + 1}`;
          return { page: index + 1, start };
        });
        const chunks = chunkText({ text, format: "pdf", pages, warnings: [] }, { size, overlap });
        for (const chunk of chunks) {
          expect(chunk.page).toBe(pages.filter((page) => page.start <= chunk.start).at(-1)?.page);
        }
      }),
      { numRuns: 150 },
    );
  });
});
