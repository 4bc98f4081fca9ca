/** Shapes shared by the knowledge-base parse and chunk layers. */

export type DocumentFormat = "txt" | "md" | "html" | "pdf" | "docx";

/** A heading, at `start` (an offset into `ParsedDocument.text`) where its heading line begins. */
export interface DocumentSection {
  heading: string;
  /** 1 (top level) to 6. */
  level: number;
  start: number;
}

/** The offset into `ParsedDocument.text` at which a page's text begins (pages are 1-based). */
export interface DocumentPage {
  page: number;
  start: number;
}

export interface ParsedDocument {
  /** Normalized text: LF line ends, single spaces, paragraphs separated by one blank line. */
  text: string;
  format: DocumentFormat;
  /** Headings in document order (md, html, docx). */
  sections?: DocumentSection[];
  /** Page starts in page order (pdf). */
  pages?: DocumentPage[];
  /** Things the uploader should know that did not stop parsing (shown in the console). */
  warnings: string[];
}

export interface Chunk {
  index: number;
  /** Exactly `text.slice(start, end)` of the chunked text. */
  text: string;
  start: number;
  end: number;
  /** The nearest heading at or before `start`. */
  heading?: string;
  /** The page `start` falls on. */
  page?: number;
  /** Present when the caller passed a token counter. */
  tokens?: number;
}
