import type { JsonObject } from "../types";
import { asNumber, asString, isObject } from "./json";

/**
 * Gemini `logprobsResult` (chosen token per step, plus the top candidates per step) → OpenAI's
 * `logprobs: { content: [{ token, logprob, bytes, top_logprobs }] }`. Null when absent.
 */

function entry(candidate: unknown): JsonObject | null {
  if (!isObject(candidate)) return null;
  const token = asString(candidate.token) ?? "";
  return {
    token,
    logprob: asNumber(candidate.logProbability) ?? 0,
    bytes: Array.from(Buffer.from(token, "utf8")),
  };
}

export function logprobsFromGemini(result: unknown): JsonObject | null {
  if (!isObject(result) || !Array.isArray(result.chosenCandidates)) return null;
  const top = Array.isArray(result.topCandidates) ? result.topCandidates : [];
  const content = result.chosenCandidates.flatMap((chosen: unknown, i) => {
    const e = entry(chosen);
    if (!e) return [];
    const step: unknown = top[i];
    const alternatives = isObject(step) && Array.isArray(step.candidates) ? step.candidates : [];
    e.top_logprobs = alternatives.map(entry).filter((x): x is JsonObject => x !== null);
    return [e];
  });
  return { content, refusal: null };
}
