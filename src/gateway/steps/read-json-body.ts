import { isUtf8 } from "node:buffer";
import type { JsonObject } from "~/providers/types";
import type { GatewayContext } from "../context";
import { GatewayError } from "../gateway-error";
import { tooLarge, type Inbound } from "../inbound";

/** Largest request body accepted (OpenAI's own limit is in this range). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

const INVALID_JSON =
  "We could not parse the JSON body of your request. The API expects a JSON object (Content-Type: application/json).";

/**
 * Reads and parses the JSON body: 413 beyond the limit (refused from Content-Length before
 * reading when it is declared), 400 for bytes that are not UTF-8, text that is not JSON, or JSON
 * that is not an object. Sets `ctx.requestText` and `ctx.body`.
 */
export async function readJsonBody(
  ctx: GatewayContext,
  request: Inbound,
  limit: number = MAX_BODY_BYTES,
): Promise<JsonObject> {
  const type = request.headers.get("content-type");
  if (type !== null && /^\s*multipart\//i.test(type)) {
    throw new GatewayError(
      "invalid_content_type",
      400,
      "This endpoint accepts a JSON body (Content-Type: application/json), not multipart form data.",
    );
  }
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  const bytes = await request.readBody(limit);
  if (bytes.byteLength > limit) throw tooLarge(limit);
  if (bytes.byteLength === 0) throw new GatewayError("invalid_json", 400, INVALID_JSON);
  if (!isUtf8(bytes)) {
    throw new GatewayError("invalid_encoding", 400, "The request body is not valid UTF-8.");
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayError("invalid_json", 400, INVALID_JSON);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    throw new GatewayError(
      "invalid_json",
      400,
      `The request body must be a JSON object, but got ${got}.`,
    );
  }
  ctx.requestText = text;
  ctx.body = value as JsonObject;
  return ctx.body;
}
