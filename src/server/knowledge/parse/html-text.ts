import { Parser } from "htmlparser2";
import type { BlockBreak, TextAssembler } from "./text-assembler";

/**
 * Streams HTML into a TextAssembler: text of visible content only (no scripts, styles,
 * navigation, forms controls, hidden elements); block elements become paragraph or line
 * breaks; table cells are joined with " | "; <pre> keeps its line breaks; h1–h6 become
 * sections. Entities are decoded by the parser. No DOM is built, so memory stays
 * proportional to the text.
 */

const SKIPPED = new Set([
  "script", "style", "noscript", "template", "nav", "head", "svg", "math", "iframe", "object",
  "embed", "canvas", "select", "button", "dialog",
]);

const LINE_BLOCKS = new Set(["li", "dt", "dd", "tr", "caption", "figcaption", "summary", "br"]);
const PARAGRAPH_BLOCKS = new Set([
  "p", "div", "section", "article", "main", "header", "footer", "aside", "blockquote", "pre", "ul", "ol",
  "dl", "table", "thead", "tbody", "tfoot", "form", "fieldset", "figure", "address", "details", "hr",
  "body", "html", "center", "hgroup", "legend",
]);
const CELLS = new Set(["td", "th"]);
const HEADING = /^h([1-6])$/;

function breakFor(name: string): BlockBreak | null {
  if (LINE_BLOCKS.has(name)) return "\n";
  if (PARAGRAPH_BLOCKS.has(name)) return "\n\n";
  return null;
}

function isHidden(attributes: Record<string, string>): boolean {
  return "hidden" in attributes || attributes["aria-hidden"] === "true";
}

class HtmlTextWalker {
  private readonly stack: { name: string; skips: boolean }[] = [];
  private skipDepth = 0;
  private preDepth = 0;
  private cellDepth = 0;
  private cellsInRow = 0;
  private buffer = "";
  private heading: { level: number; text: string } | null = null;

  constructor(private readonly assembler: TextAssembler) {}

  open(name: string, attributes: Record<string, string>): void {
    const skips = SKIPPED.has(name) || isHidden(attributes);
    this.stack.push({ name, skips });
    if (skips) this.skipDepth++;
    if (this.skipDepth > 0) return;
    const level = HEADING.exec(name)?.[1];
    if (level !== undefined && this.heading === null && this.cellDepth === 0) {
      this.flush("\n\n");
      this.heading = { level: Number(level), text: "" };
      return;
    }
    if (name === "tr") this.cellsInRow = 0;
    if (CELLS.has(name)) {
      if (this.cellsInRow > 0 && this.cellDepth === 0) this.buffer += " | ";
      this.cellsInRow++;
      this.cellDepth++;
      return;
    }
    if (name === "pre") this.preDepth++;
    this.boundary(name);
  }

  text(text: string): void {
    if (this.skipDepth > 0) return;
    const piece = this.preDepth > 0 ? text : text.replace(/\s+/g, " ");
    if (this.heading !== null) this.heading.text += piece;
    else this.buffer += piece;
  }

  close(name: string): void {
    // Pop to the matching element; unmatched end tags are ignored.
    let index = this.stack.length - 1;
    while (index >= 0 && this.stack[index]?.name !== name) index--;
    if (index < 0) return;
    for (const closed of this.stack.splice(index).reverse()) {
      if (closed.skips) {
        this.skipDepth--;
        continue;
      }
      if (this.skipDepth === 0) this.closeVisible(closed.name);
    }
  }

  finish(): void {
    this.endHeading();
    this.assembler.addBlock(this.buffer);
    this.buffer = "";
  }

  private closeVisible(name: string): void {
    const level = HEADING.exec(name)?.[1];
    if (level !== undefined && this.heading?.level === Number(level)) {
      this.endHeading();
      return;
    }
    if (CELLS.has(name)) {
      this.cellDepth = Math.max(0, this.cellDepth - 1);
      return;
    }
    if (name === "pre") this.preDepth = Math.max(0, this.preDepth - 1);
    // A void element's break was made when it opened.
    if (name !== "br" && name !== "hr") this.boundary(name);
  }

  private endHeading(): void {
    if (this.heading === null) return;
    this.assembler.addHeading(this.heading.text, this.heading.level);
    this.heading = null;
  }

  private boundary(name: string): void {
    const kind = breakFor(name);
    if (kind === null) return;
    // Inside a heading or a table cell a block boundary only separates words.
    if (this.heading !== null) {
      this.heading.text += " ";
    } else if (this.cellDepth > 0) {
      this.buffer += " ";
    } else {
      this.flush(kind);
    }
  }

  private flush(kind: BlockBreak): void {
    this.assembler.addBlock(this.buffer);
    this.buffer = "";
    this.assembler.requestBreak(kind);
  }
}

export function extractHtmlText(html: string, assembler: TextAssembler): void {
  const walker = new HtmlTextWalker(assembler);
  const parser = new Parser(
    {
      onopentag: (name, attributes) => walker.open(name, attributes),
      ontext: (text) => walker.text(text),
      onclosetag: (name) => walker.close(name),
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  walker.finish();
}
