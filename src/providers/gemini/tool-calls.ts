import type { JsonObject } from "../types";
import { isObject } from "./json";
import { signatureExtra } from "./thought-signatures";
import type { GeminiPart } from "./wire-types";

/**
 * A Gemini `functionCall` part → an OpenAI tool call. Gemini gives no call ids (or, on some
 * models, its own `id`): generated ids are `call_<n>`, n counting the choice's calls from 0, so
 * the streamed and non-streamed forms of one answer agree. Arguments are the JSON text of `args`.
 */
export function toolCallFromPart(part: GeminiPart, n: number): JsonObject | null {
  const call = part.functionCall;
  if (!isObject(call) || typeof call.name !== "string") return null;
  const id = typeof call.id === "string" && call.id !== "" ? call.id : `call_${n}`;
  return {
    id,
    type: "function",
    function: { name: call.name, arguments: JSON.stringify(isObject(call.args) ? call.args : {}) },
    ...signatureExtra(part.thoughtSignature),
  };
}

/** What a candidate's parts say: answer text, thought-summary text and tool calls. */
export interface PartsSummary {
  text: string;
  reasoning: string;
  toolCalls: JsonObject[];
}

/** Reads parts; `firstCall` numbers the tool calls (a stream continues its count across events). */
export function summarizeParts(parts: unknown, firstCall = 0): PartsSummary {
  const summary: PartsSummary = { text: "", reasoning: "", toolCalls: [] };
  if (!Array.isArray(parts)) return summary;
  for (const p of parts) {
    if (!isObject(p)) continue;
    const part = p as GeminiPart;
    if (typeof part.text === "string") {
      if (part.thought === true) summary.reasoning += part.text;
      else summary.text += part.text;
    } else if (part.functionCall !== undefined) {
      const call = toolCallFromPart(part, firstCall + summary.toolCalls.length);
      if (call) summary.toolCalls.push(call);
    }
  }
  return summary;
}
