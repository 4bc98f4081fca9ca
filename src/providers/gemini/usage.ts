import type { JsonObject, Usage } from "../types";
import { asCount, isObject } from "./json";

/**
 * Gemini `usageMetadata` → unified Usage and OpenAI's `usage` object:
 *   prompt_tokens = promptTokenCount (cached tokens are part of it, as in OpenAI),
 *   completion_tokens = candidatesTokenCount + thoughtsTokenCount (thinking is billed as output),
 *   cached_tokens = cachedContentTokenCount, reasoning_tokens = thoughtsTokenCount.
 */
export interface GeminiUsage {
  usage: Usage;
  body: JsonObject;
}

export function usageFromGemini(metadata: unknown): GeminiUsage | null {
  if (!isObject(metadata)) return null;
  const prompt = asCount(metadata.promptTokenCount);
  if (prompt === undefined) return null;
  const thoughts = asCount(metadata.thoughtsTokenCount) ?? 0;
  const completion = (asCount(metadata.candidatesTokenCount) ?? 0) + thoughts;
  const cached = asCount(metadata.cachedContentTokenCount) ?? 0;
  const total = asCount(metadata.totalTokenCount) ?? prompt + completion;
  const usage: Usage = { promptTokens: prompt, completionTokens: completion, totalTokens: total };
  if (cached > 0) usage.cachedReadTokens = cached;
  if (thoughts > 0) usage.reasoningTokens = thoughts;
  return {
    usage,
    body: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: total,
      prompt_tokens_details: { cached_tokens: cached },
      completion_tokens_details: { reasoning_tokens: thoughts },
    },
  };
}
