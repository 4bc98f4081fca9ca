import type { Chunk, DocumentPage, DocumentSection, ParsedDocument } from "../types";
import { BoundaryList } from "./boundaries";
import { resolveChunkOptions, type ChunkOptions } from "./chunk-options";
import { bestCut, hardCut, overlapStart, type Cut } from "./cut-points";
import { isWhitespaceCode } from "./sentence-end";
import { lastStartingAtOrBefore } from "./sorted-search";

function firstContent(text: string): number {
  let index = 0;
  while (index < text.length && isWhitespaceCode(text.charCodeAt(index))) index++;
  return index;
}

function contentEnd(text: string): number {
  let index = text.length;
  while (index > 0 && isWhitespaceCode(text.charCodeAt(index - 1))) index--;
  return index;
}

function byStart<T extends { start: number }>(entries: readonly T[] | undefined): T[] {
  return [...(entries ?? [])].sort((a, b) => a.start - b.start);
}

/**
 * Splits text into chunks of at most `size` characters that overlap by at most `overlap`.
 *
 * Every chunk is `text.slice(start, end)` with no leading or trailing whitespace, so every
 * non-whitespace character is in at least one chunk and whitespace between two chunks may
 * be in none. With a chunk starting at `s`:
 *
 * 1. If the rest of the text (to its last non-whitespace character) fits in `size`, it is
 *    the last chunk.
 * 2. Otherwise the chunk ends at a boundary (see boundaries.ts) with its end in
 *    [s + floor(size/2), s + size] and after the previous chunk's end: the best level wins
 *    (heading > paragraph > sentence > line break > word), then the latest end. If that
 *    range has none, the latest boundary in the first half is used. If there is none at all
 *    and the chunk starts inside the previous chunk, the overlap is dropped (the chunk
 *    restarts where the previous chunk's content ended) and the search repeats. Failing that
 *    a single word is longer than what is left, and the chunk is cut inside it at s + size
 *    (never between the halves of a surrogate pair).
 * 3. The next chunk starts at the content after that boundary when overlap is 0, when the cut
 *    is at a heading, or after a cut inside a word. Otherwise it starts inside this chunk, at
 *    least `end - overlap` and after this chunk's start and after any heading in it:
 *    preferably at the earliest sentence start (after a sentence end, paragraph break or
 *    heading) that gives an overlap of at least ceil(overlap/2), else at the earliest word
 *    start; if there is none, without overlap.
 */
export function chunkText(doc: ParsedDocument | string, options: ChunkOptions = {}): Chunk[] {
  const { size, overlap, countTokens } = resolveChunkOptions(options);
  const text = typeof doc === "string" ? doc : doc.text;
  const sections: DocumentSection[] = typeof doc === "string" ? [] : byStart(doc.sections);
  const pages: DocumentPage[] = typeof doc === "string" ? [] : byStart(doc.pages);
  const headingStartList = [...new Set(sections.map((section) => section.start))];
  const headingStarts = new Set(headingStartList);

  const chunks: Chunk[] = [];
  const push = (start: number, end: number) => {
    const chunkText = text.slice(start, end);
    const chunk: Chunk = { index: chunks.length, text: chunkText, start, end };
    const section = sections[lastStartingAtOrBefore(sections, start)];
    if (section !== undefined) chunk.heading = section.heading;
    const page = pages[lastStartingAtOrBefore(pages, start)];
    if (page !== undefined) chunk.page = page.page;
    if (countTokens !== undefined) chunk.tokens = countTokens(chunkText);
    chunks.push(chunk);
  };

  const boundaries = new BoundaryList(size + 1);
  const last = contentEnd(text);
  let start = firstContent(text);
  let previousEnd = start;
  let previousNext = start;
  while (start < last) {
    if (last - start <= size) {
      push(start, last);
      break;
    }
    boundaries.scan(text, start, start + size, headingStarts);
    const found = bestCut(boundaries, Math.max(start, previousEnd), start + Math.floor(size / 2));
    if (found === null && start < previousNext) {
      start = previousNext;
      continue;
    }
    const cut: Cut = found ?? hardCut(text, start, size);
    push(start, cut.end);
    const nextStart = overlapStart(boundaries, start, cut, overlap, headingStartList);
    previousEnd = cut.end;
    previousNext = cut.next;
    start = nextStart;
  }
  return chunks;
}
