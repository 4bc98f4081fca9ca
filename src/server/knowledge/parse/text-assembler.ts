import type { DocumentPage, DocumentSection } from "../types";
import { normalizeBlock, normalizeInline } from "./normalize-whitespace";
import { textTooLarge } from "./parse-limits";

export type BlockBreak = "\n" | "\n\n";

/**
 * Builds a document's text from blocks (paragraphs, list items, headings, pages) so that
 * section and page offsets are exact offsets into the final, normalized text. Breaks
 * requested between blocks merge (the stronger wins) and are dropped at the start.
 */
export class TextAssembler {
  private readonly parts: string[] = [];
  private length = 0;
  private pendingBreak: BlockBreak | null = null;
  private readonly pendingPages: number[] = [];
  private readonly sections: DocumentSection[] = [];
  private readonly pages: DocumentPage[] = [];

  constructor(
    private readonly filename: string,
    private readonly maxChars: number,
  ) {}

  requestBreak(kind: BlockBreak): void {
    if (this.pendingBreak !== "\n\n") this.pendingBreak = kind;
  }

  /** The next block of text starts page `page` (1-based). */
  startPage(page: number): void {
    this.pendingPages.push(page);
  }

  /**
   * Appends a block after the strongest break requested since the previous block (a
   * paragraph break when none was); returns its start offset, or -1 when it normalized to
   * nothing.
   */
  addBlock(raw: string, breakBefore?: BlockBreak): number {
    const text = normalizeBlock(raw);
    if (text === "") return -1;
    if (breakBefore !== undefined) this.requestBreak(breakBefore);
    if (this.length > 0) this.append(this.pendingBreak ?? "\n\n");
    this.pendingBreak = null;
    const start = this.length;
    for (const page of this.pendingPages) this.pages.push({ page, start });
    this.pendingPages.length = 0;
    this.append(text);
    return start;
  }

  addHeading(raw: string, level: number): void {
    const heading = normalizeInline(raw);
    if (heading === "") return;
    const start = this.addBlock(heading, "\n\n");
    this.sections.push({ heading, level, start });
    this.requestBreak("\n\n");
  }

  get size(): number {
    return this.length;
  }

  finish(): { text: string; sections: DocumentSection[]; pages: DocumentPage[] } {
    // Pages with no text after the last block still exist; they start at the end.
    for (const page of this.pendingPages) this.pages.push({ page, start: this.length });
    this.pendingPages.length = 0;
    return { text: this.parts.join(""), sections: this.sections, pages: this.pages };
  }

  private append(text: string): void {
    this.length += text.length;
    if (this.length > this.maxChars) throw textTooLarge(this.filename, this.maxChars);
    this.parts.push(text);
  }
}
