/** Output reserved when the request sets no `max_completion_tokens` / `max_tokens`. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function positiveInt(v: unknown): number | null {
  return typeof v === "number" && Number.isInteger(v) && v > 0 ? v : null;
}

/**
 * The most output tokens a request can produce: `max_completion_tokens` ?? `max_tokens` ??
 * DEFAULT_MAX_OUTPUT_TOKENS, times the number of choices (`n`, or completions' `best_of`).
 * Embeddings produce none.
 */
export function maxOutputTokens(body: unknown): number {
  if (!isObject(body)) return 0;
  if (!Array.isArray(body.messages) && body.prompt === undefined) return 0;
  const perChoice =
    positiveInt(body.max_completion_tokens) ??
    positiveInt(body.max_tokens) ??
    DEFAULT_MAX_OUTPUT_TOKENS;
  const choices = Math.max(positiveInt(body.n) ?? 1, positiveInt(body.best_of) ?? 1);
  return perChoice * choices;
}
