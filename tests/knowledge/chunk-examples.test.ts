import { describe, expect, it } from "vitest";
import { ChunkOptionsError, chunkText } from "~/server/knowledge/chunk";
import { Level, scanBoundaries } from "~/server/knowledge/chunk/boundaries";
import type { ParsedDocument } from "~/server/knowledge/types";

/**
 * Hand-computed chunkings. Texts are built from 4-letter words so offsets are easy to check:
 * SENTENCE is 25 characters ("Word word word word word."), sentence k of a run separated
 * by single spaces starts at 26k and ends (exclusive) at 26k + 25. Sentences start with a
 * capital: a "." followed by a lowercase word is not a sentence end.
 */

const SENTENCE = "Word word word word word.";
const sentences = (count: number) => Array.from({ length: count }, () => SENTENCE).join(" ");
const spans = (text: string, options: Parameters<typeof chunkText>[1]) =>
  chunkText(text, options).map((chunk) => [chunk.start, chunk.end]);

describe("chunk boundaries", () => {
  it("cuts at the latest sentence end in the second half and overlaps from a sentence start", () => {
    // Sentence ends (cut points) at 25, 51, 77, 103, 129, 155, 181, 207, 233; text ends at 259.
    // Chunk 0: best in [50, 100] is 77. Overlap window [47, 77): sentence start 52 (overlap 25 ≥ 15).
    const text = sentences(10);
    expect(text.length).toBe(259);
    expect(spans(text, { size: 100, overlap: 30 })).toEqual([
      [0, 77],
      [52, 129],
      [104, 181],
      [156, 233],
      [208, 259],
    ]);
  });

  it("prefers a paragraph break to a later sentence end", () => {
    // Paragraph 1 = [0, 51), "\n\n" at 51–52, paragraph 2 starts at 53 with sentence ends 78, 104, 130.
    const text = `${sentences(2)}\n\n${sentences(4)}`;
    expect(text.length).toBe(156);
    expect(spans(text, { size: 100, overlap: 0 })).toEqual([
      [0, 51],
      [53, 130],
      [131, 156],
    ]);
  });

  it("falls back to word starts when a sentence start would overlap by less than half", () => {
    // A = 12 words ending at 60, B = "Word word." at [61, 71), then 20 words from 72; length 171.
    // Chunk 0 ends at the sentence end 71. Sentence start 61 would overlap only 10 < 25, so the
    // next chunk starts at the first word start ≥ 71 − 50 = 21, which is 25. Chunk 1 ends at the
    // last word end ≤ 125 (121) and its overlap starts at sentence start 72 (overlap 49 ≥ 25).
    const text = `Word ${"word ".repeat(10)}word. Word word. Word ${"word ".repeat(18)}word`;
    expect(text.length).toBe(171);
    expect(spans(text, { size: 100, overlap: 50 })).toEqual([
      [0, 71],
      [25, 121],
      [72, 171],
    ]);
  });

  it("overlaps from the first word start at or after end − overlap when there are no sentences", () => {
    const text = `${"word ".repeat(39)}word`; // word k at [5k, 5k + 4), length 199
    expect(spans(text, { size: 100, overlap: 30 })).toEqual([
      [0, 99],
      [70, 169],
      [140, 199],
    ]);
  });

  it("cuts at a heading, starts the next chunk on it, and never overlaps back across it", () => {
    // "# One" [0,5), body [7,84), "# Two" at 86, body [93,170).
    const text = `# One\n\n${sentences(3)}\n\n# Two\n\n${sentences(3)}`;
    const doc: ParsedDocument = {
      text,
      format: "md",
      sections: [
        { heading: "One", level: 1, start: 0 },
        { heading: "Two", level: 1, start: 86 },
      ],
      warnings: [],
    };
    const chunks = chunkText(doc, { size: 100, overlap: 30 });
    expect(chunks.map(({ start, end, heading }) => ({ start, end, heading }))).toEqual([
      { start: 0, end: 84, heading: "One" },
      { start: 86, end: 170, heading: "Two" },
    ]);
  });

  it("keeps the overlap after a heading that lies inside the previous chunk", () => {
    // Paragraph 1 = [0, 51); section "Two" starts at 53 with SENTENCE [53, 78), a 60-character
    // sentence [79, 139) and SENTENCE [140, 165). Chunk 0 ends at the sentence end 78 (the
    // heading boundary at 51 is in the first half). end − overlap = 13 would reach back to the
    // sentence start 26 in the previous section; the heading moves the window to [53, 78),
    // where no sentence start gives 33 characters of overlap, so the first word start wins: 53.
    const text = `${sentences(2)}\n\n${SENTENCE} Word ${"word ".repeat(10)}word. ${SENTENCE}`;
    expect(text.length).toBe(165);
    const doc: ParsedDocument = { text, format: "md", sections: [{ heading: "Two", level: 2, start: 53 }], warnings: [] };
    const chunks = chunkText(doc, { size: 130, overlap: 65 });
    expect(chunks.map(({ start, end, heading }) => ({ start, end, heading }))).toEqual([
      { start: 0, end: 78, heading: undefined },
      { start: 53, end: 165, heading: "Two" },
    ]);
    expect(chunks[0]).not.toHaveProperty("heading");
    // Without the section the overlap starts at the sentence start in paragraph 1.
    expect(spans(text, { size: 130, overlap: 65 })).toEqual([
      [0, 78],
      [26, 139],
      [79, 165],
    ]);
  });

  it("cuts inside a word only when the word is longer than the chunk size", () => {
    // "short" [0,5), 150 x's [6,156), "tail" [157,161).
    const text = `short ${"x".repeat(150)} tail`;
    expect(spans(text, { size: 100, overlap: 20 })).toEqual([
      [0, 5],
      [6, 106],
      [106, 161],
    ]);
  });

  it("drops the overlap rather than cut a word that fits in a chunk on its own", () => {
    // 16 words [0,79), a 90-letter word [80,170), "end" [171,174).
    const text = `${"aaaa ".repeat(16)}${"y".repeat(90)} end`;
    expect(spans(text, { size: 100, overlap: 40 })).toEqual([
      [0, 79],
      [80, 174],
    ]);
  });

  it("never splits a surrogate pair when it must cut inside a word", () => {
    const text = `a${"😀".repeat(120)}`; // one 241-unit word
    const chunks = chunkText(text, { size: 100, overlap: 0 });
    expect(chunks.map((chunk) => [chunk.start, chunk.end])).toEqual([
      [0, 99],
      [99, 199],
      [199, 241],
    ]);
    for (const chunk of chunks) expect(chunk.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
  });

  it("trims whitespace around chunks and returns nothing for blank text", () => {
    expect(chunkText("   \n\n\t ")).toEqual([]);
    expect(chunkText("")).toEqual([]);
    expect(chunkText("  \n hello world \n\n")).toEqual([{ index: 0, text: "hello world", start: 4, end: 15 }]);
  });

  it("carries the page each chunk starts on and counts tokens when asked", () => {
    // Page 2 starts at 105. Chunk 1 starts at 78, so it is on page 1 although it ends on page 2;
    // it skips the paragraph break at 103 because that lies in its first half.
    const text = `${sentences(4)}\n\n${sentences(4)}`;
    const doc: ParsedDocument = {
      text,
      format: "pdf",
      pages: [
        { page: 1, start: 0 },
        { page: 2, start: 105 },
      ],
      warnings: [],
    };
    const chunks = chunkText(doc, { size: 100, overlap: 0, countTokens: (piece) => piece.split(" ").length });
    expect(chunks.map(({ start, end, page, tokens }) => ({ start, end, page, tokens }))).toEqual([
      { start: 0, end: 77, page: 1, tokens: 15 },
      { start: 78, end: 156, page: 1, tokens: 14 },
      { start: 157, end: 208, page: 2, tokens: 10 },
    ]);
  });
});

describe("boundary levels", () => {
  const levels = (text: string) =>
    scanBoundaries(text, 0, text.length, new Set()).map((boundary) => [text.slice(0, boundary.end).split(/\s/).pop(), boundary.level]);

  it("recognizes sentence ends and not abbreviations, initials, list numbers or decimals", () => {
    expect(levels("It costs 3.14 dollars. Next")).toEqual([
      ["It", Level.word],
      ["costs", Level.word],
      ["3.14", Level.word],
      ["dollars.", Level.sentence],
    ]);
    expect(levels("Use tools, e.g. hammers. Dr. Who came. J. Smith wrote approx. five.")).toEqual([
      ["Use", Level.word],
      ["tools,", Level.word],
      ["e.g.", Level.word],
      ["hammers.", Level.sentence],
      ["Dr.", Level.word],
      ["Who", Level.word],
      ["came.", Level.sentence],
      ["J.", Level.word],
      ["Smith", Level.word],
      ["wrote", Level.word],
      ["approx.", Level.word],
    ]);
    expect(levels("1. Install\n2. Run it. Done")).toEqual([
      ["1.", Level.word],
      ["Install", Level.line],
      ["2.", Level.word],
      ["Run", Level.word],
      ["it.", Level.sentence],
    ]);
  });

  it("handles ! ? … closing quotes, paragraphs and CJK full stops", () => {
    expect(levels('Wait! What? Yes… He said "Stop." Then (see below.) ok.\n\nNext')).toEqual([
      ["Wait!", Level.sentence],
      ["What?", Level.sentence],
      ["Yes…", Level.sentence],
      ["He", Level.word],
      ["said", Level.word],
      ['"Stop."', Level.sentence],
      ["Then", Level.word],
      ["(see", Level.word],
      ["below.)", Level.word], // lowercase "ok" follows
      ["ok.", Level.paragraph],
    ]);
    const cjk = scanBoundaries("文一。文二。 文三", 0, 9, new Set());
    expect(cjk).toEqual([
      { end: 3, next: 3, level: Level.sentence },
      { end: 6, next: 7, level: Level.sentence },
    ]);
  });
});

describe("chunk options", () => {
  it("defaults to size 1000 and overlap 200", () => {
    const text = sentences(100); // 2599 characters
    const chunks = chunkText(text);
    expect(chunks.every((chunk) => chunk.end - chunk.start <= 1000)).toBe(true);
    expect(chunks[1]!.start).toBeLessThan(chunks[0]!.end);
    expect(chunks[0]!.end - chunks[1]!.start).toBeLessThanOrEqual(200);
  });

  it.each([
    [{ size: 99 }, "size", /from 100 to 8000; got 99\./],
    [{ size: 8001 }, "size", /from 100 to 8000; got 8001\./],
    [{ size: 500.5 }, "size", /whole number/],
    [{ size: Number.NaN }, "size", /got NaN/],
    [{ size: 100, overlap: 51 }, "overlap", /from 0 to half the chunk size \(50 for size 100\); got 51\./],
    [{ overlap: -1 }, "overlap", /got -1\./],
  ])("rejects %j", (options, param, message) => {
    let caught: unknown;
    try {
      chunkText("some text", options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ChunkOptionsError);
    expect((caught as ChunkOptionsError).param).toBe(param);
    expect((caught as ChunkOptionsError).message).toMatch(message);
  });

  it("caps the default overlap at half of a small size", () => {
    const chunks = chunkText(sentences(20), { size: 100 });
    for (let index = 1; index < chunks.length; index++) {
      expect(chunks[index - 1]!.end - chunks[index]!.start).toBeLessThanOrEqual(50);
    }
  });
});
