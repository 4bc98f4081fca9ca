import { DocumentError } from "./document-error";
import { describeKnownBinary } from "./sniff-content";

/**
 * Bytes → string for the text formats. Order: a BOM (UTF-8, UTF-16LE/BE) wins; then UTF-16
 * without a BOM when every other byte is zero; then a declared charset (HTML meta or the
 * upload's Content-Type); then UTF-8, with invalid sequences replaced by U+FFFD and a warning.
 * Text that is mostly control characters or undecodable bytes is refused as binary.
 */

export interface DecodedText {
  text: string;
  warnings: string[];
}

/** Share of suspicious characters above which a "text" file is treated as binary data. */
const BINARY_THRESHOLD = 0.1;
const UTF16_SAMPLE = 4096;

function hasPrefix(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

function sniffUtf16WithoutBom(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  const pairs = Math.floor(Math.min(bytes.byteLength, UTF16_SAMPLE) / 2);
  if (pairs < 2) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let pair = 0; pair < pairs; pair++) {
    if (bytes[pair * 2] === 0) zeroEven++;
    if (bytes[pair * 2 + 1] === 0) zeroOdd++;
  }
  // Mostly-ASCII UTF-16: the high byte of nearly every code unit is zero, the low byte never.
  if (zeroOdd / pairs > 0.4 && zeroEven / pairs < 0.05) return "utf-16le";
  if (zeroEven / pairs > 0.4 && zeroOdd / pairs < 0.05) return "utf-16be";
  return null;
}

function decoderFor(label: string | undefined): TextDecoder | null {
  if (label === undefined) return null;
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    return null;
  }
}

function countSuspicious(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c) || code === 0xfffd) {
      count++;
    }
  }
  return count;
}

function countReplacements(text: string): number {
  let count = 0;
  for (let index = text.indexOf("\uFFFD"); index !== -1; index = text.indexOf("\uFFFD", index + 1)) count++;
  return count;
}

function decodeWithFallbacks(bytes: Uint8Array, filename: string, charset: string | undefined): DecodedText {
  if (hasPrefix(bytes, [0xef, 0xbb, 0xbf])) {
    return decodeUtf8(bytes.subarray(3), filename);
  }
  if (hasPrefix(bytes, [0xff, 0xfe])) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), warnings: [] };
  if (hasPrefix(bytes, [0xfe, 0xff])) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), warnings: [] };
  const utf16 = sniffUtf16WithoutBom(bytes);
  if (utf16 !== null) return { text: new TextDecoder(utf16).decode(bytes), warnings: [] };
  const declared = decoderFor(charset);
  if (declared !== null && declared.encoding !== "utf-8") {
    return { text: declared.decode(bytes), warnings: [] };
  }
  return decodeUtf8(bytes, filename);
}

function decodeUtf8(bytes: Uint8Array, filename: string): DecodedText {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes), warnings: [] };
  } catch {
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    const replaced = countReplacements(text);
    return {
      text,
      warnings: [
        `${filename} is not valid UTF-8: ${replaced.toLocaleString("en-US")} invalid byte sequence(s) were replaced with "\uFFFD". Save the file as UTF-8 to keep every character.`,
      ],
    };
  }
}

export function decodeText(bytes: Uint8Array, filename: string, charset?: string): DecodedText {
  const decoded = decodeWithFallbacks(bytes, filename, charset);
  const suspicious = countSuspicious(decoded.text);
  if (decoded.text.length > 0 && suspicious / decoded.text.length > BINARY_THRESHOLD) {
    const percent = Math.round((100 * suspicious) / decoded.text.length);
    const known = describeKnownBinary(bytes);
    if (known !== null) {
      throw new DocumentError("unsupported_type", `${filename} is ${known}, not text. Upload text, Markdown, HTML, PDF or .docx files.`);
    }
    throw new DocumentError(
      "unsupported_type",
      `${filename} does not look like text: ${percent}% of it is binary or undecodable data. If it is a document in another format, upload it with its real extension; if it is text, save it as UTF-8.`,
    );
  }
  return decoded;
}

/** The charset an HTML file declares in its first 1024 bytes (`<meta charset>` or http-equiv). */
export function sniffHtmlCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  const match = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return match?.[1];
}
