/**
 * Why a file could not become a knowledge-base document. Messages are written for the
 * console and the API: they say what is wrong with the file and what to do about it.
 * Callers map every code to a 4xx (they are all problems with the upload, not the server).
 */

export type DocumentErrorCode =
  | "empty"
  | "unsupported_type"
  | "corrupt"
  | "too_large"
  | "no_text"
  | "encrypted";

export class DocumentError extends Error {
  override name = "DocumentError";

  constructor(
    readonly code: DocumentErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isDocumentError(error: unknown): error is DocumentError {
  return error instanceof DocumentError;
}

const MAX_CAUSE_LENGTH = 120;

/** A parser library's complaint, trimmed to one short line for a user-facing message. */
export function describeCause(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  // JSZip prefixes some inflate failures with "Bug :", which is not ours to report.
  const line = raw.replace(/^Bug\s*:\s*/, "").replace(/\s+/g, " ").trim() || "unknown error";
  return line.length > MAX_CAUSE_LENGTH ? `${line.slice(0, MAX_CAUSE_LENGTH - 1)}…` : line;
}

/** The HTTP status an upload route should answer with: every code is the client's problem. */
export function documentErrorStatus(code: DocumentErrorCode): 400 | 413 {
  return code === "too_large" ? 413 : 400;
}
