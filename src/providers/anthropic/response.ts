import type { ChatResult } from "../types";
import { protocolError } from "./errors";
import { isRecord, stringOr, type JsonRecord } from "./json-guards";
import { mapStopReason, openAIUsage, readTokens, unifiedUsage } from "./usage";

/**
 * A Messages API answer as an OpenAI `chat.completion`: text blocks joined into `content`,
 * `tool_use` blocks as `tool_calls` (input serialized as the arguments string), the stop reason
 * mapped, usage in OpenAI terms. The id is derived from the message id (`chatcmpl-msg_…`), so a
 * log entry leads back to Anthropic's. Blocks without an OpenAI counterpart (thinking) are left
 * out. With response_format emulation, the answer tool's input is the content (see tools.ts).
 */

export const completionId = (messageId: string): string => `chatcmpl-${messageId}`;

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

function parseMessage(text: string): JsonRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw protocolError("the upstream answered with a body that is not JSON");
  }
  if (!isRecord(value) || !Array.isArray(value.content)) {
    throw protocolError("the upstream answer is not a Messages API message");
  }
  return value;
}

export function translateResponse(text: string, jsonTool: string | null): ChatResult {
  const message = parseMessage(text);
  let content = "";
  let jsonAnswer: string | null = null;
  const toolCalls: ToolCall[] = [];
  for (const block of message.content as unknown[]) {
    if (!isRecord(block)) continue;
    if (block.type === "text" && typeof block.text === "string") {
      content += block.text;
    } else if (block.type === "tool_use") {
      const input = JSON.stringify(block.input ?? {});
      if (jsonTool !== null && block.name === jsonTool) {
        jsonAnswer ??= input;
      } else {
        toolCalls.push({
          id: stringOr(block.id, ""),
          type: "function",
          function: { name: stringOr(block.name, ""), arguments: input },
        });
      }
    }
  }

  const rawStop = typeof message.stop_reason === "string" ? message.stop_reason : null;
  const finish = mapStopReason(rawStop, jsonAnswer !== null && toolCalls.length === 0);
  const tokens = isRecord(message.usage) ? readTokens(message.usage) : null;
  const assistant: JsonRecord = {
    role: "assistant",
    // The JSON answer alone: any text around it would make the content invalid JSON.
    content: jsonAnswer ?? (content === "" && toolCalls.length > 0 ? null : content),
    refusal: null,
  };
  if (toolCalls.length > 0) assistant.tool_calls = toolCalls;

  return {
    body: {
      id: completionId(stringOr(message.id, "msg_unknown")),
      object: "chat.completion",
      created: nowSeconds(),
      model: stringOr(message.model, ""),
      choices: [{ index: 0, message: assistant, logprobs: null, finish_reason: finish.wire }],
      ...(tokens !== null ? { usage: openAIUsage(tokens) } : {}),
    },
    usage: tokens !== null ? unifiedUsage(tokens) : null,
    finishReason: finish.reason,
    rawFinishReason: rawStop,
  };
}
