/** What a file's first bytes say it is, independent of its name. */

export type SniffedContent =
  | { kind: "pdf" }
  /** `%PDF-` after leading junk: a PDF only if nothing else claims the file is text. */
  | { kind: "pdf-late" }
  | { kind: "zip" }
  | { kind: "ole" }
  | { kind: "rtf" }
  | { kind: "none" };

const PDF_HEADER = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
/** Readers accept a PDF header anywhere in the first 1024 bytes (junk before it is common). */
const PDF_HEADER_WINDOW = 1024;
const OLE_HEADER = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const RTF_HEADER = [0x7b, 0x5c, 0x72, 0x74, 0x66]; // {\rtf

/** Only used to name what a file is in an error message; text is never refused for its first bytes. */
const OTHER_BINARIES: { prefix: readonly number[]; offset?: number; description: string }[] = [
  { prefix: [0x89, 0x50, 0x4e, 0x47], description: "a PNG image" },
  { prefix: [0xff, 0xd8, 0xff], description: "a JPEG image" },
  { prefix: [0x47, 0x49, 0x46, 0x38], description: "a GIF image" },
  { prefix: [0x57, 0x45, 0x42, 0x50], offset: 8, description: "a WebP image" },
  { prefix: [0x49, 0x49, 0x2a, 0x00], description: "a TIFF image" },
  { prefix: [0x4d, 0x4d, 0x00, 0x2a], description: "a TIFF image" },
  { prefix: [0x1f, 0x8b], description: "a gzip archive" },
  { prefix: [0x42, 0x5a, 0x68], description: "a bzip2 archive" },
  { prefix: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], description: "a 7-Zip archive" },
  { prefix: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], description: "a RAR archive" },
  { prefix: [0x7f, 0x45, 0x4c, 0x46], description: "an executable" },
  { prefix: [0x66, 0x74, 0x79, 0x70], offset: 4, description: "a video or audio file" },
  { prefix: [0x49, 0x44, 0x33], description: "an MP3 audio file" },
];

function matchesAt(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.byteLength < offset + prefix.length) return false;
  return prefix.every((byte, index) => bytes[offset + index] === byte);
}

function pdfHeaderOffset(bytes: Uint8Array): number {
  const limit = Math.min(bytes.byteLength, PDF_HEADER_WINDOW) - PDF_HEADER.length;
  for (let offset = 0; offset <= limit; offset++) {
    if (bytes[offset] === 0x25 && matchesAt(bytes, PDF_HEADER, offset)) return offset;
  }
  return -1;
}

export function sniffContent(bytes: Uint8Array): SniffedContent {
  const pdfAt = pdfHeaderOffset(bytes);
  if (pdfAt === 0) return { kind: "pdf" };
  if (pdfAt > 0) return { kind: "pdf-late" };
  // Local file header, or the end record of an empty archive.
  if (matchesAt(bytes, [0x50, 0x4b, 0x03, 0x04]) || matchesAt(bytes, [0x50, 0x4b, 0x05, 0x06])) return { kind: "zip" };
  if (matchesAt(bytes, OLE_HEADER)) return { kind: "ole" };
  if (matchesAt(bytes, RTF_HEADER)) return { kind: "rtf" };
  return { kind: "none" };
}

export function describeKnownBinary(bytes: Uint8Array): string | null {
  for (const binary of OTHER_BINARIES) {
    if (matchesAt(bytes, binary.prefix, binary.offset)) return binary.description;
  }
  return null;
}

/** A short description of bytes that are not what their name claims, for error messages. */
export function describeTextish(bytes: Uint8Array): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head") || head.startsWith("<body")) {
    return "an HTML page (often an error or login page saved under the wrong name)";
  }
  const known = describeKnownBinary(bytes);
  if (known !== null) return known;
  let control = 0;
  const sample = bytes.subarray(0, 4096);
  for (const byte of sample) if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control++;
  return control > sample.byteLength * 0.1 ? "binary data of an unknown kind" : "plain text";
}
