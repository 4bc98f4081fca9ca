import type { FinishReason, Usage } from "../types";

const int = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? Math.max(0, Math.round(v)) : undefined;

/** OpenAI's `usage` object (chat, completions, embeddings) as unified Usage; null when absent or malformed. */
export function usageFromOpenAI(value: unknown): Usage | null {
  if (!value || typeof value !== "object") return null;
  const u = value as Record<string, unknown>;
  const prompt = int(u.prompt_tokens) ?? int(u.input_tokens);
  const completion = int(u.completion_tokens) ?? int(u.output_tokens) ?? 0;
  if (prompt === undefined) return null;
  const usage: Usage = {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: int(u.total_tokens) ?? prompt + completion,
  };
  const promptDetails = u.prompt_tokens_details as Record<string, unknown> | null | undefined;
  const cached = int(promptDetails?.cached_tokens);
  if (cached) usage.cachedReadTokens = cached;
  const completionDetails = u.completion_tokens_details as
    Record<string, unknown> | null | undefined;
  const reasoning = int(completionDetails?.reasoning_tokens);
  if (reasoning) usage.reasoningTokens = reasoning;
  return usage;
}

/** OpenAI's finish reasons, unified (`function_call` is the legacy name of `tool_calls`). */
export function unifyFinishReason(raw: string | null): FinishReason | null {
  switch (raw) {
    case null:
      return null;
    case "stop":
    case "length":
    case "tool_calls":
    case "content_filter":
      return raw;
    case "function_call":
      return "tool_calls";
    case "error":
      return "error";
    default:
      return "other";
  }
}

/** Offset just past the `{` of the last `"usage": {` in `text`, or -1. */
function usageObjectStart(text: string): number {
  let at = text.lastIndexOf('"usage"');
  while (at >= 0) {
    let i = at + 7;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 58 /* : */) {
      i++;
      while (i < text.length && isSpace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === 123 /* { */) return i;
    }
    at = at === 0 ? -1 : text.lastIndexOf('"usage"', at - 1);
  }
  return -1;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** End (exclusive) of the JSON object starting at `start` (a `{`), or -1. Strings are skipped. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/**
 * The `usage` of an OpenAI JSON answer without parsing the whole answer (embeddings answers
 * are large). A raw `"usage":{` can only be a key: inside string values the quotes are escaped.
 * `undefined` means "not found this way" (the caller may parse the whole body instead).
 */
export function scanUsage(text: string): Usage | null | undefined {
  const start = usageObjectStart(text);
  if (start < 0) return undefined;
  const end = objectEnd(text, start);
  if (end < 0) return undefined;
  try {
    return usageFromOpenAI(JSON.parse(text.slice(start, end)));
  } catch {
    return undefined;
  }
}

const FINISH_REASON = /"finish_reason"\s*:\s*"([^"\\]{1,64})"/;

/** The first non-null `finish_reason` string in an OpenAI JSON text (or SSE event), without parsing it. */
export function scanFinishReason(text: string): string | null {
  return FINISH_REASON.exec(text)?.[1] ?? null;
}
