import type { JsonObject } from "../types";
import { invalidRequest } from "./errors";
import type { JsonRecord } from "./json-guards";
import { systemValue, translateMessages } from "./messages";
import { translateTools } from "./tools";

/**
 * An OpenAI chat request as a Messages API request. Only fields with an Anthropic meaning are
 * sent: the Messages API rejects unknown fields, so OpenAI-only ones (`seed`, `logprobs`,
 * penalties, `stream_options`, …) are dropped rather than forwarded.
 */

/**
 * `max_tokens` is required by Anthropic and optional in OpenAI. Every Claude model accepts at
 * least 4096 output tokens (the limit of the smallest, Claude 3 Haiku and Opus), so this default
 * is valid everywhere; clients wanting longer answers set `max_tokens`/`max_completion_tokens`.
 */
export const DEFAULT_MAX_TOKENS = 4096;

export interface AnthropicRequest {
  body: JsonRecord;
  /** The tool carrying a `response_format` answer (see tools.ts), or null. */
  jsonTool: string | null;
  /** The client (or the gateway) asked for a usage chunk at the end of the stream. */
  includeUsage: boolean;
}

function stopSequences(stop: unknown): string[] | null {
  if (stop === undefined || stop === null) return null;
  const list = typeof stop === "string" ? [stop] : stop;
  if (!Array.isArray(list) || !list.every((s) => typeof s === "string")) {
    throw invalidRequest("stop must be a string or an array of strings", "stop");
  }
  return list.length > 0 ? list : null;
}

function maxTokens(body: JsonObject): number {
  const value = body.max_completion_tokens ?? body.max_tokens;
  if (value === undefined || value === null) return DEFAULT_MAX_TOKENS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw invalidRequest("max_tokens must be a positive integer", "max_tokens");
  }
  return value;
}

export function translateRequest(body: JsonObject, stream: boolean): AnthropicRequest {
  if (typeof body.model !== "string" || body.model === "") {
    throw invalidRequest("model is required", "model");
  }
  if (body.n !== undefined && body.n !== null && body.n !== 1) {
    throw invalidRequest(
      "Anthropic returns one choice per request: n must be 1",
      "n",
      "unsupported_parameter",
    );
  }
  const { system, messages } = translateMessages(body.messages);
  const tools = translateTools(body);

  const out: JsonRecord = { model: body.model };
  const systemPrompt = systemValue(system);
  if (systemPrompt !== null) out.system = systemPrompt;
  out.messages = messages;
  out.max_tokens = maxTokens(body);
  const stop = stopSequences(body.stop);
  if (stop !== null) out.stop_sequences = stop;
  for (const key of ["temperature", "top_p", "top_k"] as const) {
    if (typeof body[key] === "number") out[key] = body[key];
  }
  if (typeof body.user === "string" && body.user !== "") out.metadata = { user_id: body.user };
  if (tools.tools.length > 0) out.tools = tools.tools;
  if (tools.toolChoice !== null) out.tool_choice = tools.toolChoice;
  if (stream) out.stream = true;

  const options = body.stream_options as { include_usage?: unknown } | null | undefined;
  return {
    body: out,
    jsonTool: tools.jsonTool,
    includeUsage: options?.include_usage === true,
  };
}
