export { parseDocument, type ParseInput } from "./parse-document";
export { DocumentError, documentErrorStatus, isDocumentError, type DocumentErrorCode } from "./document-error";
export { DEFAULT_PARSE_LIMITS, assertDocumentSize, type ParseLimits } from "./parse-limits";
export type { DocumentFormat, DocumentPage, DocumentSection, ParsedDocument } from "../types";
