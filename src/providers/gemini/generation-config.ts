import type { JsonObject } from "../types";
import { invalidRequest, isObject } from "./json";
import { cleanSchema } from "./schema";

/**
 * OpenAI sampling and output fields → Gemini `generationConfig`:
 *   temperature, top_p → topP, max_completion_tokens | max_tokens → maxOutputTokens,
 *   stop → stopSequences, n → candidateCount, seed, presence_penalty / frequency_penalty,
 *   logprobs / top_logprobs → responseLogprobs / logprobs,
 *   response_format json_object → JSON MIME type; json_schema → JSON MIME type + responseSchema,
 *   reasoning_effort → thinkingConfig (a thinking budget on Gemini 2.5, a thinking level on
 *   Gemini 3 and later; other models have no thinking control and the field is dropped).
 * Fields Gemini has no equivalent for are dropped.
 */

const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;
const int = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isInteger(v) ? v : undefined;

/**
 * Gemini 2.5 thinking budgets: low/medium/high/none as Google's OpenAI-compatible endpoint maps
 * `reasoning_effort` (1K/8K/24K tokens, 0 = off); "minimal" sits below "low".
 */
const THINKING_BUDGETS: Record<string, number> = {
  none: 0,
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
};

function thinkingConfig(effort: unknown, model: string): JsonObject | undefined {
  if (typeof effort !== "string") return undefined;
  const name = model.replace(/^models\//, "");
  if (/^gemini-2\.5/.test(name)) {
    const budget = THINKING_BUDGETS[effort];
    return budget === undefined ? undefined : { thinkingBudget: budget };
  }
  const major = /^gemini-(\d+)/.exec(name)?.[1];
  if (name.startsWith("gemini-") && (major === undefined || Number(major) >= 3)) {
    // Gemini 3 cannot switch thinking off: "none" asks for the least there is.
    return { thinkingLevel: effort === "none" ? "minimal" : effort };
  }
  return undefined;
}

function responseFormat(format: unknown): JsonObject {
  if (!isObject(format) || format.type === "text" || format.type === undefined) return {};
  if (format.type === "json_object") return { responseMimeType: "application/json" };
  if (format.type === "json_schema") {
    const spec = isObject(format.json_schema) ? format.json_schema : {};
    return spec.schema === undefined
      ? { responseMimeType: "application/json" }
      : { responseMimeType: "application/json", responseSchema: cleanSchema(spec.schema) };
  }
  throw invalidRequest(
    `Unsupported response_format type '${String(format.type)}'.`,
    "response_format",
  );
}

export function translateGenerationConfig(body: JsonObject, model: string): JsonObject {
  const config: JsonObject = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) config[key] = value;
  };
  set("temperature", num(body.temperature));
  set("topP", num(body.top_p));
  set("maxOutputTokens", int(body.max_completion_tokens) ?? int(body.max_tokens));
  if (typeof body.stop === "string") config.stopSequences = [body.stop];
  else if (Array.isArray(body.stop)) {
    const stops = body.stop.filter((s): s is string => typeof s === "string");
    if (stops.length > 0) config.stopSequences = stops;
  }
  set("candidateCount", int(body.n));
  set("seed", int(body.seed));
  set("presencePenalty", num(body.presence_penalty));
  set("frequencyPenalty", num(body.frequency_penalty));
  if (body.logprobs === true) {
    config.responseLogprobs = true;
    set("logprobs", int(body.top_logprobs));
  }
  Object.assign(config, responseFormat(body.response_format));
  set("thinkingConfig", thinkingConfig(body.reasoning_effort, model));
  return config;
}
