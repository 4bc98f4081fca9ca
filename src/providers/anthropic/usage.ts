import type { FinishReason, Usage } from "../types";
import { count, isRecord, type JsonRecord } from "./json-guards";

/** Anthropic's token counts. `input` excludes the cached part (read or written). */
export interface AnthropicTokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export const NO_TOKENS: AnthropicTokens = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

/**
 * Reads an Anthropic `usage` object over `base`: fields it has replace those of `base` (a
 * stream's `message_delta` carries cumulative counts for some fields, `message_start` the rest).
 */
export function readTokens(value: unknown, base: AnthropicTokens = NO_TOKENS): AnthropicTokens {
  if (!isRecord(value)) return base;
  const pick = (key: string, fallback: number) => (key in value ? count(value[key]) : fallback);
  return {
    input: pick("input_tokens", base.input),
    output: pick("output_tokens", base.output),
    cacheRead: pick("cache_read_input_tokens", base.cacheRead),
    cacheWrite: pick("cache_creation_input_tokens", base.cacheWrite),
  };
}

/**
 * OpenAI's usage: its prompt count includes cached tokens (with `cached_tokens` as the cached
 * part), so Anthropic's three input counts are added up. Cache writes have no OpenAI field; they
 * are in the unified usage (`cachedWriteTokens`), which is what costs are computed from.
 */
export function openAIUsage(tokens: AnthropicTokens): JsonRecord {
  const prompt = tokens.input + tokens.cacheRead + tokens.cacheWrite;
  return {
    prompt_tokens: prompt,
    completion_tokens: tokens.output,
    total_tokens: prompt + tokens.output,
    prompt_tokens_details: { cached_tokens: tokens.cacheRead },
  };
}

export function unifiedUsage(tokens: AnthropicTokens): Usage {
  const prompt = tokens.input + tokens.cacheRead + tokens.cacheWrite;
  const usage: Usage = {
    promptTokens: prompt,
    completionTokens: tokens.output,
    totalTokens: prompt + tokens.output,
  };
  if (tokens.cacheRead > 0) usage.cachedReadTokens = tokens.cacheRead;
  if (tokens.cacheWrite > 0) usage.cachedWriteTokens = tokens.cacheWrite;
  return usage;
}

export interface Finish {
  /** Unified (for logs and routing). */
  reason: FinishReason | null;
  /** What the OpenAI-shaped answer says: OpenAI's value, or Anthropic's own when none fits. */
  wire: string | null;
}

/**
 * Anthropic stop reasons in OpenAI terms. `model_context_window_exceeded` is a token limit like
 * `max_tokens`, so `length`. Reasons with no OpenAI counterpart (`pause_turn`, future ones) are
 * `other` in the unified reason and keep their own name on the wire.
 * `answeredAsJson`: the stop was the call of the response_format answer tool only — for the
 * client that is a finished answer (`stop`), not a tool call.
 */
export function mapStopReason(raw: string | null, answeredAsJson = false): Finish {
  switch (raw) {
    case null:
      return { reason: null, wire: null };
    case "end_turn":
    case "stop_sequence":
      return { reason: "stop", wire: "stop" };
    case "max_tokens":
    case "model_context_window_exceeded":
      return { reason: "length", wire: "length" };
    case "tool_use":
      return answeredAsJson
        ? { reason: "stop", wire: "stop" }
        : { reason: "tool_calls", wire: "tool_calls" };
    case "refusal":
      return { reason: "content_filter", wire: "content_filter" };
    default:
      return { reason: "other", wire: raw };
  }
}
