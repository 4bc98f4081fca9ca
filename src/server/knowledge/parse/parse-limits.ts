import { DocumentError } from "./document-error";

export interface ParseLimits {
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
  /** Largest extracted text kept, in UTF-16 code units; guards against zip bombs and huge PDFs. */
  maxChars: number;
  /** Most PDF pages read. */
  maxPages: number;
  /** Largest total of a DOCX's XML parts once inflated, as declared by the archive (zip bombs). */
  maxUnzippedBytes: number;
}

export const DEFAULT_PARSE_LIMITS: Readonly<ParseLimits> = {
  maxBytes: 50 * 1024 * 1024,
  maxChars: 50_000_000,
  maxPages: 5_000,
  maxUnzippedBytes: 100 * 1024 * 1024,
};

export function resolveParseLimits(overrides: Partial<ParseLimits> = {}): ParseLimits {
  const limits = { ...DEFAULT_PARSE_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`Parse limit ${name} must be a positive integer, got ${String(value)}.`);
    }
  }
  return limits;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Refuses an upload by its size alone, so a route can call it with a Content-Length before
 * buffering the body, and parseDocument calls it before looking at a single byte.
 */
export function assertDocumentSize(byteLength: number, filename: string, maxBytes: number): void {
  if (byteLength === 0) {
    throw new DocumentError("empty", `${filename} is empty (0 bytes). Upload a file that contains text.`);
  }
  if (byteLength > maxBytes) {
    throw new DocumentError(
      "too_large",
      `${filename} is ${formatBytes(byteLength)}; the limit is ${formatBytes(maxBytes)}. Split it into smaller files and upload those.`,
    );
  }
}

export function textTooLarge(filename: string, maxChars: number): DocumentError {
  return new DocumentError(
    "too_large",
    `${filename} expands to more than ${maxChars.toLocaleString("en-US")} characters of text. Split it into smaller files and upload those.`,
  );
}
