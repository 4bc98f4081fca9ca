import type { FinishReason } from "../types";

/**
 * Gemini finish reasons → unified ones. Gemini says STOP for an answer that is a function call,
 * so `hasToolCalls` turns that into `tool_calls`. Every safety-type stop is `content_filter`.
 * Function-calling failures (MALFORMED_FUNCTION_CALL, …) are `error`; anything else is `other`.
 */

const CONTENT_FILTER = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
]);

const TOOL_FAILURES = new Set([
  "MALFORMED_FUNCTION_CALL",
  "UNEXPECTED_TOOL_CALL",
  "TOO_MANY_TOOL_CALLS",
]);

export function unifyFinishReason(
  raw: string | null | undefined,
  hasToolCalls: boolean,
): FinishReason | null {
  if (raw === null || raw === undefined) return null;
  if (raw === "STOP") return hasToolCalls ? "tool_calls" : "stop";
  if (raw === "MAX_TOKENS") return "length";
  if (CONTENT_FILTER.has(raw)) return "content_filter";
  if (TOOL_FAILURES.has(raw)) return "error";
  return "other";
}

/**
 * The `finish_reason` written into OpenAI-shaped answers: OpenAI clients know only these four,
 * so `error`/`other` are sent as "stop" (the unified and raw reasons keep the detail).
 */
export function wireFinishReason(
  unified: FinishReason,
): "stop" | "length" | "tool_calls" | "content_filter" {
  return unified === "error" || unified === "other" ? "stop" : unified;
}
