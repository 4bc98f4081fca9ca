import type { JsonObject } from "~/providers/types";
import type { CascadeCheck } from "./route-schema";

/**
 * A cascade calls a cheaper target first and escalates to the next when the answer does not look
 * good enough. This decides that from a non-streamed `chat.completion` (the first choice):
 *
 *  - low confidence: the mean token probability, exp(logprob) averaged over
 *    `choices[0].logprobs.content`, is below `minConfidence` (only when the target returned
 *    logprobs: set `params: { logprobs: true }` on the cheaper targets to get them);
 *  - refusal: the model refused (`message.refusal`, or the answer opens with a refusal phrase);
 *  - empty: no text and no tool calls;
 *  - too short: fewer than `minLength` characters (answers that are tool calls are exempt);
 *  - invalid JSON: the request asked for JSON (`response_format` json_object / json_schema) and
 *    the text does not parse.
 *
 * Streamed requests are not checked (the answer is already on its way to the client): a cascade
 * then streams from its first eligible target, falling back only on failures before the first
 * byte, like a fallback route.
 */

export type EscalationReason =
  "low_confidence" | "refusal" | "empty" | "too_short" | "invalid_json";

/** Openings of a refusal, matched case-insensitively against the start of the answer. */
const REFUSAL_OPENINGS = [
  /^(i'?m|i am) (sorry|afraid),? (but )?(i|that)( really)? (can(no|')t|cannot|won'?t|am not able|'m not able|am unable|'m unable)/,
  /^(i'?m )?sorry,? (but )?i (can(no|')t|cannot|won'?t|am unable|'m unable)/,
  /^i (can(no|')t|cannot|won'?t|am unable to|'m unable to|am not able to|'m not able to) (help|assist|comply|provide|do that|answer|fulfil|complete|support)/,
  /^(unfortunately,? )?i (can(no|')t|cannot|am unable to|'m unable to) (help|assist|comply|provide|answer)/,
  /^as an ai( language model)?,? i (can(no|')t|cannot|am unable|'m unable|do not|don'?t)/,
];

function normalizedOpening(text: string): string {
  return text
    .slice(0, 200)
    .trimStart()
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'");
}

export function looksLikeRefusal(text: string): boolean {
  const opening = normalizedOpening(text);
  return REFUSAL_OPENINGS.some((pattern) => pattern.test(opening));
}

/** Mean token probability of `choice.logprobs.content`, or null when there are none. */
export function meanTokenProbability(choice: Record<string, unknown>): number | null {
  const logprobs = choice.logprobs as { content?: unknown } | null | undefined;
  const tokens = logprobs?.content;
  if (!Array.isArray(tokens) || tokens.length === 0) return null;
  let sum = 0;
  let count = 0;
  for (const token of tokens) {
    const logprob = (token as { logprob?: unknown } | null)?.logprob;
    if (typeof logprob !== "number" || !Number.isFinite(logprob)) continue;
    sum += Math.exp(logprob);
    count += 1;
  }
  return count === 0 ? null : sum / count;
}

function asksForJson(request: JsonObject): boolean {
  const format = request.response_format as { type?: unknown } | null | undefined;
  return format?.type === "json_object" || format?.type === "json_schema";
}

function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) =>
      typeof (part as { text?: unknown })?.text === "string" ? (part as { text: string }).text : "",
    )
    .join("");
}

/** Why the answer should go to the next target, or null to keep it. */
export function escalationReason(
  answer: JsonObject,
  request: JsonObject,
  check: CascadeCheck,
): EscalationReason | null {
  const choices = answer.choices;
  const choice =
    Array.isArray(choices) && choices[0] !== null && typeof choices[0] === "object"
      ? (choices[0] as Record<string, unknown>)
      : null;
  const message = (choice?.message ?? null) as Record<string, unknown> | null;
  const text = messageText(message?.content);
  const toolCalls = message?.tool_calls;
  const hasToolCalls = Array.isArray(toolCalls) && toolCalls.length > 0;

  if (check.refusal && typeof message?.refusal === "string" && message.refusal !== "") {
    return "refusal";
  }
  if (check.empty && text.trim() === "" && !hasToolCalls) return "empty";
  if (check.refusal && looksLikeRefusal(text)) return "refusal";
  if (check.minLength !== undefined && !hasToolCalls && text.trim().length < check.minLength) {
    return "too_short";
  }
  if (check.invalidJson && asksForJson(request) && !hasToolCalls) {
    try {
      JSON.parse(text);
    } catch {
      return "invalid_json";
    }
  }
  if (check.minConfidence !== undefined && choice !== null) {
    const confidence = meanTokenProbability(choice);
    if (confidence !== null && confidence < check.minConfidence) return "low_confidence";
  }
  return null;
}
