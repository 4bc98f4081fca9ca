import type { ParsedDocument } from "../types";
import { DocumentError, describeCause } from "./document-error";
import { TextAssembler } from "./text-assembler";

/**
 * PDF via unpdf (a serverless build of Mozilla's pdf.js, no native code, no network).
 * Pages are read one at a time so a large PDF never has every page's text objects alive at
 * once; a page's lines are joined with "\n", and a vertical gap of more than 1.5 line
 * heights starts a new paragraph.
 */

export interface PdfInput {
  bytes: Uint8Array;
  name: string;
  maxChars: number;
  maxPages: number;
}

interface TextItemLike {
  str: string;
  hasEOL: boolean;
  height: number;
  transform: number[];
}

function isTextItem(item: unknown): item is TextItemLike {
  return typeof item === "object" && item !== null && "str" in item && "transform" in item;
}

const PARAGRAPH_GAP = 1.5;

/** The text of one page, with paragraph breaks inferred from line spacing. */
export function pageText(items: readonly unknown[]): string {
  let text = "";
  let lineY: number | null = null;
  let lineHeight = 0;
  let atLineStart = true;
  for (const item of items) {
    if (!isTextItem(item)) continue;
    const y = item.transform[5] ?? 0;
    const height = Math.abs(item.height) || Math.abs(item.transform[3] ?? 0);
    if (atLineStart && item.str !== "") {
      if (lineY !== null && text !== "" && Math.abs(lineY - y) > PARAGRAPH_GAP * Math.max(lineHeight, height, 1)) {
        text += "\n";
      }
      lineY = y;
      lineHeight = height;
      atLineStart = false;
    }
    text += item.str;
    if (item.hasEOL) {
      text += "\n";
      atLineStart = true;
    }
  }
  return text;
}

function errorName(error: unknown): string {
  return typeof error === "object" && error !== null && "name" in error ? String(error.name) : "";
}

async function openPdf(input: PdfInput) {
  const { getDocumentProxy } = await import("unpdf");
  try {
    // pdf.js may take ownership of the buffer it is given, so it gets a copy.
    return await getDocumentProxy(input.bytes.slice(), { verbosity: 0, isEvalSupported: false, stopAtErrors: false });
  } catch (error) {
    if (errorName(error) === "PasswordException") {
      throw new DocumentError(
        "encrypted",
        `${input.name} is password-protected. Save a copy without the password (for example with "Print to PDF") and upload that.`,
      );
    }
    throw new DocumentError(
      "corrupt",
      `${input.name} could not be read as a PDF (${describeCause(error)}). It may be damaged or truncated; export or download it again and upload the new copy.`,
    );
  }
}

export async function parsePdf(input: PdfInput): Promise<ParsedDocument> {
  const pdf = await openPdf(input);
  try {
    if (pdf.numPages > input.maxPages) {
      throw new DocumentError(
        "too_large",
        `${input.name} has ${pdf.numPages.toLocaleString("en-US")} pages; the limit is ${input.maxPages.toLocaleString("en-US")}. Split it into smaller PDFs and upload those.`,
      );
    }
    const assembler = new TextAssembler(input.name, input.maxChars);
    const warnings: string[] = [];
    const failedPages: number[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      assembler.startPage(number);
      try {
        const page = await pdf.getPage(number);
        const content = await page.getTextContent();
        assembler.addBlock(pageText(content.items), "\n\n");
        page.cleanup();
      } catch (error) {
        if (error instanceof DocumentError) throw error;
        failedPages.push(number);
      }
    }
    if (failedPages.length === pdf.numPages) {
      throw new DocumentError(
        "corrupt",
        `${input.name} could not be read: none of its ${pdf.numPages} page(s) could be decoded. Export or download it again and upload the new copy.`,
      );
    }
    if (failedPages.length > 0) {
      warnings.push(`${input.name}: page(s) ${failedPages.join(", ")} could not be decoded and were skipped.`);
    }
    const { text, pages } = assembler.finish();
    if (text === "") {
      throw new DocumentError(
        "no_text",
        `${input.name} has no extractable text in its ${pdf.numPages} page(s); it is probably scanned images. Run OCR on it (for example with ocrmypdf) and upload the result.`,
      );
    }
    return { text, format: "pdf", pages, warnings };
  } finally {
    await pdf.destroy();
  }
}
