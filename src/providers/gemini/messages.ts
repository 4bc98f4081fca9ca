import type { JsonObject } from "../types";
import { contentText, contentToParts } from "./content-parts";
import { invalidRequest, isObject } from "./json";
import { readThoughtSignature } from "./thought-signatures";
import type { GeminiContent, GeminiPart } from "./wire-types";

/**
 * OpenAI `messages` → Gemini `systemInstruction` + `contents`:
 *  - system/developer messages → `systemInstruction` (wherever they stand; their order relative
 *    to the conversation is lost, Gemini has one instruction block);
 *  - user → "user", assistant → "model" (text, then `functionCall` parts for its tool calls);
 *  - tool results → `functionResponse` parts in a "user" turn, named after the tool call they
 *    answer (Gemini identifies results by function name, OpenAI by call id);
 *  - consecutive turns of the same role are merged (Gemini expects alternating roles).
 * Tool call ids are not sent: Gemini matches results by name and order, and ids made up by
 * another provider (or by this adapter) would mean nothing to it.
 */

export interface TranslatedMessages {
  systemInstruction?: GeminiContent;
  contents: GeminiContent[];
}

export interface MessageOptions {
  /** Put the documented placeholder signature on tool calls that come back without one. */
  placeholderSignatures: boolean;
}

/** Google's documented value for function calls whose real thought signature is unknown. */
export const PLACEHOLDER_SIGNATURE = "skip_thought_signature_validator";

function parseArguments(text: unknown): Record<string, unknown> {
  if (isObject(text)) return text;
  if (typeof text !== "string" || text.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : { value };
  } catch {
    // Arguments a model once produced as broken JSON: kept as text rather than refused.
    return { arguments: text };
  }
}

/** A tool result as Gemini's `response` object: a JSON object as is, anything else wrapped. */
function toolResponse(content: unknown): Record<string, unknown> {
  const text = contentText(content);
  try {
    const value: unknown = JSON.parse(text);
    if (isObject(value)) return value;
    return { content: value };
  } catch {
    return { content: text };
  }
}

export function translateMessages(messages: unknown, options: MessageOptions): TranslatedMessages {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalidRequest("`messages` must be a non-empty array.", "messages");
  }
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  /** Tool call id → function name, as of the latest assistant message that used the id. */
  const names = new Map<string, string>();

  const push = (role: "user" | "model", parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((raw: unknown, i) => {
    const param = `messages[${i}]`;
    if (!isObject(raw)) throw invalidRequest("Each message must be an object.", param);
    const m: JsonObject = raw;
    switch (m.role) {
      case "system":
      case "developer": {
        const text = contentText(m.content);
        if (text !== "") system.push({ text });
        return;
      }
      case "user":
        push("user", contentToParts(m.content, `${param}.content`));
        return;
      case "assistant":
        push("model", assistantParts(m, param, names, options));
        return;
      case "tool":
      case "function": {
        const id = typeof m.tool_call_id === "string" ? m.tool_call_id : undefined;
        const name =
          (id !== undefined ? names.get(id) : undefined) ??
          (typeof m.name === "string" && m.name !== "" ? m.name : undefined);
        if (name === undefined) {
          throw invalidRequest(
            `The tool message's tool_call_id '${id ?? ""}' matches no earlier assistant tool call.`,
            `${param}.tool_call_id`,
          );
        }
        push("user", [{ functionResponse: { name, response: toolResponse(m.content) } }]);
        return;
      }
      default:
        throw invalidRequest(`Unsupported message role '${String(m.role)}'.`, `${param}.role`);
    }
  });

  return {
    ...(system.length > 0 ? { systemInstruction: { parts: system } } : {}),
    contents,
  };
}

function assistantParts(
  m: JsonObject,
  param: string,
  names: Map<string, string>,
  options: MessageOptions,
): GeminiPart[] {
  const parts = contentToParts(m.content, `${param}.content`);
  const calls: GeminiPart[] = [];
  const toolCalls = Array.isArray(m.tool_calls) ? m.tool_calls : [];
  toolCalls.forEach((tc: unknown, j) => {
    const fn = isObject(tc) && isObject(tc.function) ? tc.function : null;
    if (!fn || typeof fn.name !== "string" || fn.name === "") {
      throw invalidRequest("Each tool call needs a function name.", `${param}.tool_calls[${j}]`);
    }
    if (isObject(tc) && typeof tc.id === "string") names.set(tc.id, fn.name);
    const part: GeminiPart = {
      functionCall: { name: fn.name, args: parseArguments(fn.arguments) },
    };
    const signature = readThoughtSignature(tc);
    if (signature !== undefined) part.thoughtSignature = signature;
    calls.push(part);
  });
  // The legacy single `function_call` field.
  if (isObject(m.function_call) && typeof m.function_call.name === "string") {
    calls.push({
      functionCall: { name: m.function_call.name, args: parseArguments(m.function_call.arguments) },
    });
  }
  // Thinking models refuse a step's function calls without the signature they came with
  // (the first call of a step carries it). Clients that dropped it get Google's placeholder.
  if (
    options.placeholderSignatures &&
    calls.length > 0 &&
    !calls.some((c) => c.thoughtSignature !== undefined)
  ) {
    calls[0]!.thoughtSignature = PLACEHOLDER_SIGNATURE;
  }
  return [...parts, ...calls];
}
