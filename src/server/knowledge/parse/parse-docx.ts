import type { ParsedDocument } from "../types";
import { DocumentError, describeCause } from "./document-error";
import { extractHtmlText } from "./html-text";
import { formatBytes } from "./parse-limits";
import { TextAssembler } from "./text-assembler";
import type { ZipEntry } from "./zip-directory";

/**
 * DOCX via mammoth: the document becomes semantic HTML (headings from Word's heading,
 * Title and Subtitle styles, lists, tables), then goes through the same HTML text walker as
 * .html files. Images are dropped without being decoded. The archive's declared sizes are
 * checked first so a zip bomb is refused before anything is inflated.
 */

export interface DocxInput {
  bytes: Uint8Array;
  name: string;
  entries: ZipEntry[];
  maxChars: number;
  maxUnzippedBytes: number;
}

const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];
const MAX_WARNINGS = 5;

function assertInflatedSize(input: DocxInput): void {
  let total = 0;
  for (const entry of input.entries) {
    if (entry.name.endsWith(".xml") || entry.name.endsWith(".rels")) total += entry.uncompressedSize;
  }
  if (total > input.maxUnzippedBytes) {
    throw new DocumentError(
      "too_large",
      `${input.name} expands to ${formatBytes(total)} of document data; the limit is ${formatBytes(input.maxUnzippedBytes)}. Split it into smaller documents and upload those.`,
    );
  }
}

export async function parseDocx(input: DocxInput): Promise<ParsedDocument> {
  assertInflatedSize(input);
  const { default: mammoth } = await import("mammoth");
  let html: string;
  const warnings: string[] = [];
  try {
    const buffer = Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
    const result = await mammoth.convertToHtml(
      { buffer },
      {
        styleMap: STYLE_MAP,
        externalFileAccess: false,
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: "" })),
      },
    );
    html = result.value;
    // Style warnings ("unrecognised paragraph style") are noise to an uploader; errors are not.
    const errors = [...new Set(result.messages.filter((message) => message.type === "error").map((message) => message.message))];
    for (const message of errors.slice(0, MAX_WARNINGS)) warnings.push(`${input.name}: ${message}`);
  } catch (error) {
    const reason = describeCause(error);
    throw new DocumentError(
      "corrupt",
      `${input.name} could not be read as a Word document (${reason}). Open it in Word, save it again as .docx, and upload the new copy.`,
    );
  }
  const assembler = new TextAssembler(input.name, input.maxChars);
  extractHtmlText(html, assembler);
  const { text, sections } = assembler.finish();
  if (text === "") {
    throw new DocumentError(
      "no_text",
      `${input.name} contains no text (it may hold only images or empty pages). Upload a version with text, or run OCR on its images.`,
    );
  }
  return { text, format: "docx", sections, warnings };
}
