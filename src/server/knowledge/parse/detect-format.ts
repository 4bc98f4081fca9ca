import type { DocumentFormat } from "../types";
import { DocumentError, describeCause } from "./document-error";
import { SUPPORTED_FORMATS_SENTENCE, claimedFormat, type ClaimedFormat } from "./format-names";
import { describeTextish, sniffContent } from "./sniff-content";
import { readZipDirectory, type ZipEntry } from "./zip-directory";

/**
 * Decides how to parse a file. Content signatures win over names: a PDF or DOCX is parsed
 * as such whatever it is called (with a warning when the name says otherwise). A file whose
 * name says PDF or DOCX but whose bytes are not is refused as `corrupt`, never parsed as
 * text: that is usually an error page or a broken download, and indexing it would be wrong.
 * Text formats (txt, md, html) follow the name, then the MIME type; a name with an unknown
 * extension is refused, one with no extension is read as plain text.
 */

export interface Detection {
  format: DocumentFormat;
  warnings: string[];
  /** The archive's directory, when the file is a DOCX. */
  zipEntries?: ZipEntry[];
}

const FORMAT_LABEL: Record<DocumentFormat, string> = {
  txt: "plain text",
  md: "Markdown",
  html: "HTML",
  pdf: "PDF",
  docx: "Word (.docx)",
};

function mismatchWarning(name: string, claimed: ClaimedFormat, actual: DocumentFormat): string[] {
  if (claimed.kind === "none") return [];
  if (claimed.kind === "known" && claimed.format === actual) return [];
  const said = claimed.kind === "known" ? FORMAT_LABEL[claimed.format] : `.${claimed.extension}`;
  return [`${name} is named as ${said} but its content is ${FORMAT_LABEL[actual]}; it was parsed as ${FORMAT_LABEL[actual]}.`];
}

function describeZip(entries: ZipEntry[]): string {
  const names = new Set(entries.map((entry) => entry.name));
  if (names.has("xl/workbook.xml")) return "an Excel workbook";
  if (names.has("ppt/presentation.xml")) return "a PowerPoint presentation";
  if (names.has("mimetype") && names.has("content.xml")) return "an OpenDocument file";
  if (names.has("META-INF/container.xml")) return "an EPUB book";
  return "a ZIP archive";
}

function detectZip(bytes: Uint8Array, name: string, claimed: ClaimedFormat): Detection {
  let entries: ZipEntry[];
  try {
    entries = readZipDirectory(bytes);
  } catch (error) {
    const reason = describeCause(error);
    throw new DocumentError(
      "corrupt",
      `${name} is a damaged ZIP/Office file (${reason}). It may be truncated; re-save or re-download it and upload it again.`,
    );
  }
  if (!entries.some((entry) => entry.name === "word/document.xml")) {
    throw new DocumentError(
      "unsupported_type",
      `${name} is ${describeZip(entries)}, not a Word document (it has no word/document.xml). Save it as .docx, PDF or text, or upload the files inside it one by one. ${SUPPORTED_FORMATS_SENTENCE}`,
    );
  }
  return { format: "docx", warnings: mismatchWarning(name, claimed, "docx"), zipEntries: entries };
}

function refuseOle(name: string, claimed: ClaimedFormat): never {
  if (claimed.kind === "known" && claimed.format === "docx") {
    // Word stores password-protected .docx files inside this older container.
    throw new DocumentError(
      "encrypted",
      `${name} is password-protected. Remove the password in Word (File › Info › Protect Document › Encrypt with Password, then clear it), save, and upload it again.`,
    );
  }
  throw new DocumentError(
    "unsupported_type",
    `${name} is a legacy Microsoft Office file (.doc, .xls or .ppt) or a password-protected one. Open it in Office, save it as .docx or PDF without a password, and upload that.`,
  );
}

export function detectFormat(bytes: Uint8Array, name: string, mimeType: string | undefined): Detection {
  const claimed = claimedFormat(name, mimeType);
  const sniffed = sniffContent(bytes);
  const claimsText = claimed.kind === "known" && (claimed.format === "txt" || claimed.format === "md" || claimed.format === "html");

  if (sniffed.kind === "pdf" || (sniffed.kind === "pdf-late" && !claimsText)) {
    return { format: "pdf", warnings: mismatchWarning(name, claimed, "pdf") };
  }
  if (sniffed.kind === "zip") return detectZip(bytes, name, claimed);
  if (sniffed.kind === "ole") refuseOle(name, claimed);
  if (sniffed.kind === "rtf") {
    throw new DocumentError("unsupported_type", `${name} is an RTF document. Save it as .docx, PDF or plain text and upload that. ${SUPPORTED_FORMATS_SENTENCE}`);
  }

  if (claimed.kind === "known" && (claimed.format === "pdf" || claimed.format === "docx")) {
    const label = FORMAT_LABEL[claimed.format];
    const signature = claimed.format === "pdf" ? "the %PDF- header" : "a ZIP signature";
    throw new DocumentError(
      "corrupt",
      `${name} is not a valid ${label} file: it lacks ${signature} and looks like ${describeTextish(bytes)}. Upload the original ${label} file, or rename it to its real extension.`,
    );
  }
  if (claimed.kind === "unknown-extension") {
    throw new DocumentError("unsupported_type", `${name}: .${claimed.extension} files are not supported. ${SUPPORTED_FORMATS_SENTENCE}`);
  }
  return { format: claimed.kind === "known" ? claimed.format : "txt", warnings: [] };
}
