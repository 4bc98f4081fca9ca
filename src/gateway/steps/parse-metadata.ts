import type { HeaderSource } from "../inbound";
import type { GatewayContext } from "../context";
import { GatewayError } from "../gateway-error";

export const METADATA_HEADER = "x-switchyard-metadata";
export const MAX_METADATA_BYTES = 4096;

function invalid(detail: string): GatewayError {
  return new GatewayError(
    "invalid_metadata",
    400,
    `Invalid ${METADATA_HEADER} header: ${detail} It must be a JSON object of string values, at most ${MAX_METADATA_BYTES} bytes.`,
  );
}

/** `x-switchyard-metadata`: a JSON object of strings (≤ 4 KB) recorded with the request. */
export function parseMetadata(
  ctx: GatewayContext,
  headers: HeaderSource,
): Record<string, string> | null {
  const raw = headers.get(METADATA_HEADER);
  if (raw === null || raw.trim() === "") return null;
  if (raw.length > MAX_METADATA_BYTES || Buffer.byteLength(raw) > MAX_METADATA_BYTES) {
    throw invalid(`it is larger than ${MAX_METADATA_BYTES} bytes.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid("it is not valid JSON.");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalid("it is not a JSON object.");
  }
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== "string") throw invalid(`the value of "${k.slice(0, 64)}" is not a string.`);
    metadata[k] = v;
  }
  ctx.metadata = metadata;
  return metadata;
}
