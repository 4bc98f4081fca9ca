/**
 * Everything scannable in an OpenAI chat-completions request body, with where each piece came
 * from, so findings can be reported per message and a redactor can write replacements back.
 * Covered: string `content`, `text` parts of array content (and `refusal` parts), tool-call
 * and legacy function-call `arguments` on assistant messages, and tool/function results (their
 * content, like any other message's). Images, audio and files are not text and are skipped.
 * Malformed bodies yield what can be read and never throw.
 */

export type ChatTextKind = "content" | "content_part" | "tool_call_arguments" | "function_call_arguments";

export interface ChatTextSource {
  kind: ChatTextKind;
  messageIndex: number;
  /** The message's role as sent ("user", "tool", …); "" when missing. */
  role: string;
  /** Index into `content` for content parts. */
  partIndex?: number;
  /** Index into `tool_calls` for tool-call arguments. */
  toolCallIndex?: number;
  /** JSON path of the string inside the body, e.g. ["messages", 2, "content", 0, "text"]. */
  path: (string | number)[];
}

export interface ChatTextSegment {
  text: string;
  source: ChatTextSource;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export function extractChatText(body: unknown): ChatTextSegment[] {
  const segments: ChatTextSegment[] = [];
  if (!isObject(body) || !Array.isArray(body.messages)) return segments;
  body.messages.forEach((message: unknown, messageIndex) => {
    if (!isObject(message)) return;
    const role = typeof message.role === "string" ? message.role : "";
    const base = { messageIndex, role };
    const content = message.content;
    if (typeof content === "string") {
      segments.push({ text: content, source: { ...base, kind: "content", path: ["messages", messageIndex, "content"] } });
    } else if (Array.isArray(content)) {
      content.forEach((part: unknown, partIndex) => {
        if (!isObject(part)) return;
        const key = typeof part.text === "string" ? "text" : typeof part.refusal === "string" ? "refusal" : null;
        if (key === null) return;
        segments.push({
          text: part[key] as string,
          source: { ...base, kind: "content_part", partIndex, path: ["messages", messageIndex, "content", partIndex, key] },
        });
      });
    }
    if (Array.isArray(message.tool_calls)) {
      message.tool_calls.forEach((call: unknown, toolCallIndex) => {
        if (!isObject(call) || !isObject(call.function) || typeof call.function.arguments !== "string") return;
        segments.push({
          text: call.function.arguments,
          source: {
            ...base,
            kind: "tool_call_arguments",
            toolCallIndex,
            path: ["messages", messageIndex, "tool_calls", toolCallIndex, "function", "arguments"],
          },
        });
      });
    }
    const legacy = message.function_call;
    if (isObject(legacy) && typeof legacy.arguments === "string") {
      segments.push({
        text: legacy.arguments,
        source: { ...base, kind: "function_call_arguments", path: ["messages", messageIndex, "function_call", "arguments"] },
      });
    }
  });
  return segments.filter((s) => s.text.length > 0);
}

/** Number of entries in `messages` (0 when absent or malformed). */
export function countMessages(body: unknown): number {
  return isObject(body) && Array.isArray(body.messages) ? body.messages.length : 0;
}
