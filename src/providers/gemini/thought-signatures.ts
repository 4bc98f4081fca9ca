import type { JsonObject } from "../types";
import { isObject } from "./json";

/**
 * Thinking models return a `thoughtSignature` (opaque reasoning state) on function call parts and
 * refuse the next turn (Gemini 3: HTTP 400) when it does not come back with those calls. OpenAI's
 * format has no place for it, so it travels the way Google's own OpenAI-compatible endpoint
 * carries it: `tool_calls[i].extra_content.google.thought_signature`. Clients that send assistant
 * messages back as they received them keep it; for those that rebuild tool calls from id, name and
 * arguments, `messages.ts` substitutes Google's documented placeholder.
 */

export function signatureExtra(signature: string | undefined): JsonObject {
  return signature ? { extra_content: { google: { thought_signature: signature } } } : {};
}

export function readThoughtSignature(toolCall: unknown): string | undefined {
  if (!isObject(toolCall) || !isObject(toolCall.extra_content)) return undefined;
  const google = toolCall.extra_content.google;
  if (!isObject(google)) return undefined;
  const signature = google.thought_signature;
  return typeof signature === "string" && signature !== "" ? signature : undefined;
}

/**
 * Whether a model validates thought signatures on function calls: Gemini 3 and later (and the
 * unversioned `gemini-*-latest` style aliases, which point at current models). Older Gemini and
 * Gemma models never asked for them, and are not sent placeholders.
 */
export function validatesThoughtSignatures(model: string): boolean {
  const name = model.replace(/^models\//, "");
  if (!name.startsWith("gemini-")) return false;
  const major = /^gemini-(\d+)/.exec(name)?.[1];
  return major === undefined || Number(major) >= 3;
}
