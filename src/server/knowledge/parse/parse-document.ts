import type { ParsedDocument } from "../types";
import { detectFormat } from "./detect-format";
import { DocumentError, describeCause } from "./document-error";
import { baseName, mimeCharset } from "./format-names";
import { parseDocx } from "./parse-docx";
import { assertDocumentSize, resolveParseLimits, type ParseLimits } from "./parse-limits";
import { parsePdf } from "./parse-pdf";
import { parseHtml, parseMarkdown, parsePlainText } from "./parse-text-formats";

export interface ParseInput {
  bytes: Uint8Array;
  filename: string;
  mimeType?: string;
}

/**
 * Turns an uploaded file into normalized text with headings and page starts. Either returns
 * a ParsedDocument or throws a DocumentError whose message tells the uploader what is wrong
 * and what to do; nothing else escapes (an unexpected failure inside a parser library is
 * reported as a corrupt file, since it is the file that made the library fail).
 */
export async function parseDocument(input: ParseInput, limitOverrides: Partial<ParseLimits> = {}): Promise<ParsedDocument> {
  const limits = resolveParseLimits(limitOverrides);
  const name = baseName(input.filename);
  // Size first: nothing else looks at a file that is refused for its size.
  assertDocumentSize(input.bytes.byteLength, name, limits.maxBytes);
  try {
    const detection = detectFormat(input.bytes, name, input.mimeType);
    const parsed = await parseDetected(input, name, detection.format, detection.zipEntries ?? [], limits);
    return { ...parsed, warnings: [...detection.warnings, ...parsed.warnings] };
  } catch (error) {
    if (error instanceof DocumentError) throw error;
    const reason = describeCause(error);
    throw new DocumentError("corrupt", `${name} could not be read (${reason}). It may be damaged; re-save it and upload it again.`);
  }
}

function parseDetected(
  input: ParseInput,
  name: string,
  format: ParsedDocument["format"],
  zipEntries: NonNullable<ReturnType<typeof detectFormat>["zipEntries"]>,
  limits: ParseLimits,
): Promise<ParsedDocument> | ParsedDocument {
  const { bytes } = input;
  switch (format) {
    case "pdf":
      return parsePdf({ bytes, name, maxChars: limits.maxChars, maxPages: limits.maxPages });
    case "docx":
      return parseDocx({ bytes, name, entries: zipEntries, maxChars: limits.maxChars, maxUnzippedBytes: limits.maxUnzippedBytes });
    case "html":
      return parseHtml({ bytes, name, charset: mimeCharset(input.mimeType), maxChars: limits.maxChars });
    case "md":
      return parseMarkdown({ bytes, name, charset: mimeCharset(input.mimeType), maxChars: limits.maxChars });
    case "txt":
      return parsePlainText({ bytes, name, charset: mimeCharset(input.mimeType), maxChars: limits.maxChars });
  }
}
