import { randomUUID } from "node:crypto";
import { ProviderError, type ChatResult, type FinishReason, type JsonObject } from "../types";
import { unifyFinishReason, wireFinishReason } from "./finish-reason";
import { asString, isObject } from "./json";
import { logprobsFromGemini } from "./logprobs";
import { summarizeParts } from "./tool-calls";
import { usageFromGemini } from "./usage";

/**
 * A Gemini `GenerateContentResponse` → an OpenAI `chat.completion`.
 *
 * A prompt Gemini refuses to answer (`promptFeedback.blockReason`, no candidates) is not an
 * error here: it becomes a normal answer with empty content and finish_reason `content_filter`
 * (raw finish reason: the block reason), which is how OpenAI reports filtered output too.
 */

export function completionId(response: JsonObject): string {
  const id = asString(response.responseId);
  return id ? `chatcmpl-${id}` : `chatcmpl-${randomUUID().replace(/-/g, "")}`;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

interface Choice {
  body: JsonObject;
  finishReason: FinishReason | null;
  rawFinishReason: string | null;
}

function choiceFrom(candidate: JsonObject, position: number): Choice {
  const index = typeof candidate.index === "number" ? candidate.index : position;
  const content = isObject(candidate.content) ? candidate.content : {};
  const { text, reasoning, toolCalls } = summarizeParts(content.parts);
  const raw = asString(candidate.finishReason) ?? null;
  const finishReason = unifyFinishReason(raw, toolCalls.length > 0);
  const message: JsonObject = {
    role: "assistant",
    content: text === "" && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (reasoning !== "") message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    body: {
      index,
      message,
      logprobs: logprobsFromGemini(candidate.logprobsResult),
      finish_reason: finishReason === null ? null : wireFinishReason(finishReason),
    },
    finishReason,
    rawFinishReason: raw,
  };
}

function blockedChoice(blockReason: string): Choice {
  return {
    body: {
      index: 0,
      message: { role: "assistant", content: "", refusal: null },
      logprobs: null,
      finish_reason: "content_filter",
    },
    finishReason: "content_filter",
    rawFinishReason: blockReason,
  };
}

export function chatResultFromGemini(response: JsonObject, requestedModel: string): ChatResult {
  const candidates = Array.isArray(response.candidates) ? response.candidates.filter(isObject) : [];
  const feedback = isObject(response.promptFeedback) ? response.promptFeedback : {};
  const blockReason = asString(feedback.blockReason);
  const choices =
    candidates.length === 0 && blockReason !== undefined
      ? [blockedChoice(blockReason)]
      : candidates
          .map(choiceFrom)
          .sort((a, b) => (a.body.index as number) - (b.body.index as number));
  if (choices.length === 0) {
    throw new ProviderError({
      message: "the upstream answered without candidates",
      status: 502,
      kind: "protocol",
    });
  }
  const usage = usageFromGemini(response.usageMetadata);
  const body: JsonObject = {
    id: completionId(response),
    object: "chat.completion",
    created: nowSeconds(),
    model: asString(response.modelVersion) ?? requestedModel,
    choices: choices.map((c) => c.body),
  };
  if (usage) body.usage = usage.body;
  const first = choices[0];
  return {
    body,
    usage: usage?.usage ?? null,
    finishReason: first?.finishReason ?? null,
    rawFinishReason: first?.rawFinishReason ?? null,
  };
}
