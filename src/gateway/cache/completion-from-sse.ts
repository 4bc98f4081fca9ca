import type { Usage } from "~/providers/types";
import { assembleStream } from "../streaming/assemble-stream";
import { usageToOpenAI } from "./cache-entry";

export interface AssembledAnswer {
  /** The answer as a buffered request would have received it (JSON text). */
  body: string;
  /** The first choice's finish reason. */
  finishReason: string;
}

/**
 * Turns the complete SSE text of a streamed answer into the `chat.completion` (or
 * `text_completion`) a buffered request gets, so streamed and buffered requests share entries.
 * null when the stream is not a whole, successful answer: cut short (`truncated`), ended by an
 * error event, or with a choice that has no finish reason or finished with `error`.
 *
 * `usage` fills in the usage when the captured bytes lack it (the relay removes the usage event
 * for clients that did not ask for it); `createdAt` (ms) stands in for the `created` field,
 * which the chunks carry but the assembler does not keep.
 */
export function completionFromSse(
  sse: string,
  options: { truncated?: boolean; usage?: Usage | null; createdAt: number },
): AssembledAnswer | null {
  if (options.truncated) return null;
  let assembled: {
    id: unknown;
    object: unknown;
    model: unknown;
    choices: { finish_reason: unknown }[];
    usage: unknown;
    error?: unknown;
  };
  try {
    assembled = JSON.parse(assembleStream(sse, false)) as typeof assembled;
  } catch {
    return null;
  }
  if (assembled.error !== undefined || assembled.choices.length === 0) return null;
  let finishReason: string | null = null;
  for (const choice of assembled.choices) {
    if (typeof choice.finish_reason !== "string" || choice.finish_reason === "error") return null;
    finishReason ??= choice.finish_reason;
  }
  const usage = assembled.usage ?? (options.usage ? usageToOpenAI(options.usage) : null);
  const body = {
    id: assembled.id,
    object: assembled.object,
    created: Math.floor(options.createdAt / 1000),
    model: assembled.model,
    choices: assembled.choices,
    ...(usage ? { usage } : {}),
  };
  return { body: JSON.stringify(body), finishReason: finishReason! };
}
