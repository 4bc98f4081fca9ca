import type { JsonObject } from "~/providers/types";
import type { RouteCondition } from "./route-schema";

/**
 * Whether a route target applies to a request (its `when`): every condition given must hold.
 *  - keys: the API key's id or name is listed;
 *  - metadata: each listed entry equals the request's metadata (the `x-switchyard-metadata`
 *    header, over the key's own metadata as defaults);
 *  - min/maxPromptTokens: the estimated prompt size is within the bounds (inclusive).
 */

export interface ConditionInputs {
  keyId: string;
  keyName: string;
  keyMetadata: Readonly<Record<string, string>>;
  requestMetadata: Readonly<Record<string, string>> | null;
  /** Estimated prompt tokens; computed only when a condition asks (see `estimatePromptTokens`). */
  promptTokens(): number;
}

export function targetApplies(when: RouteCondition | undefined, inputs: ConditionInputs): boolean {
  if (when === undefined) return true;
  if (
    when.keys !== undefined &&
    !when.keys.includes(inputs.keyId) &&
    !when.keys.includes(inputs.keyName)
  ) {
    return false;
  }
  if (when.metadata !== undefined) {
    for (const [name, value] of Object.entries(when.metadata)) {
      const actual = inputs.requestMetadata?.[name] ?? inputs.keyMetadata[name];
      if (actual !== value) return false;
    }
  }
  if (when.minPromptTokens !== undefined || when.maxPromptTokens !== undefined) {
    const tokens = inputs.promptTokens();
    if (when.minPromptTokens !== undefined && tokens < when.minPromptTokens) return false;
    if (when.maxPromptTokens !== undefined && tokens > when.maxPromptTokens) return false;
  }
  return true;
}

/** Characters of text in a message `content` (a string, or text parts). */
function contentChars(content: unknown): number {
  if (typeof content === "string") return content.length;
  if (!Array.isArray(content)) return 0;
  let chars = 0;
  for (const part of content) {
    if (typeof part === "string") chars += part.length;
    else if (part !== null && typeof part === "object") {
      const text = (part as { text?: unknown }).text;
      if (typeof text === "string") chars += text.length;
    }
  }
  return chars;
}

/**
 * A cheap prompt-size estimate (~4 characters per token) of a chat request's messages, a
 * completion's `prompt` or an embedding's `input`: good enough to pick a long-context target,
 * with no tokenizer on the hot path.
 */
export function estimatePromptTokens(body: JsonObject): number {
  let chars = 0;
  const messages = body.messages;
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (message !== null && typeof message === "object") {
        chars += contentChars((message as { content?: unknown }).content);
      }
    }
  }
  chars += contentChars(body.prompt) + contentChars(body.input);
  return Math.ceil(chars / 4);
}
