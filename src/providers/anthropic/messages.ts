import { contentBlocks, textBlocks, type Block } from "./content-parts";
import { invalidRequest } from "./errors";
import { isRecord, type JsonRecord } from "./json-guards";

/**
 * OpenAI's message list as the Messages API wants it:
 *  - `system` and `developer` messages, wherever they are, go to the top-level `system`;
 *  - assistant `tool_calls` become `tool_use` blocks (arguments parsed: Anthropic takes an object);
 *  - `tool` messages become `tool_result` blocks in a user message;
 *  - consecutive messages of one role are merged into one (Anthropic requires user and assistant
 *    to alternate), and in a user message the tool results come first, as Anthropic requires.
 */

export interface TranslatedMessages {
  /** Text blocks for the top-level `system` (empty: none). */
  system: Block[];
  messages: JsonRecord[];
}

type Role = "user" | "assistant";

function toolUse(call: unknown, param: string): Block {
  if (!isRecord(call) || !isRecord(call.function)) {
    throw invalidRequest("a tool call needs a function", param);
  }
  const { id } = call;
  const { name, arguments: args } = call.function;
  if (typeof id !== "string" || id === "")
    throw invalidRequest("a tool call needs an id", `${param}.id`);
  if (typeof name !== "string" || name === "") {
    throw invalidRequest("a tool call needs a function name", `${param}.function.name`);
  }
  return { type: "tool_use", id, name, input: parseArguments(args, `${param}.function.arguments`) };
}

/** Tool-call arguments as the object Anthropic stores; `""` (a call without arguments) is `{}`. */
function parseArguments(args: unknown, param: string): JsonRecord {
  if (isRecord(args)) return args;
  if (args === undefined || args === null || (typeof args === "string" && args.trim() === "")) {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = typeof args === "string" ? JSON.parse(args) : undefined;
  } catch {
    throw invalidRequest("tool call arguments must be valid JSON", param);
  }
  if (!isRecord(parsed)) throw invalidRequest("tool call arguments must be a JSON object", param);
  return parsed;
}

function toolResult(message: JsonRecord, param: string): Block {
  const id = message.tool_call_id;
  if (typeof id !== "string" || id === "") {
    throw invalidRequest("a tool message needs a tool_call_id", `${param}.tool_call_id`);
  }
  const content = message.content;
  const block: Block = { type: "tool_result", tool_use_id: id };
  if (typeof content === "string") {
    if (content !== "") block.content = content;
  } else {
    const blocks = contentBlocks(content, `${param}.content`);
    if (blocks.length > 0) block.content = blocks;
  }
  return block;
}

/** A single plain text block is sent as a string (the common, most readable form). */
function compact(blocks: Block[]): string | Block[] {
  const only = blocks.length === 1 ? blocks[0]! : null;
  return only !== null && only.type === "text" && Object.keys(only).length === 2
    ? (only.text as string)
    : blocks;
}

export function translateMessages(messages: unknown): TranslatedMessages {
  if (!Array.isArray(messages)) throw invalidRequest("messages must be an array", "messages");
  const system: Block[] = [];
  const turns: { role: Role; blocks: Block[] }[] = [];
  const add = (role: Role, blocks: Block[]) => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks: [...blocks] });
  };

  messages.forEach((message: unknown, i) => {
    const param = `messages[${i}]`;
    if (!isRecord(message)) throw invalidRequest("each message must be an object", param);
    switch (message.role) {
      case "system":
      case "developer":
        system.push(...textBlocks(message.content, `${param}.content`));
        break;
      case "user":
        add("user", contentBlocks(message.content, `${param}.content`));
        break;
      case "assistant": {
        const blocks = contentBlocks(message.content, `${param}.content`);
        const calls = message.tool_calls;
        if (Array.isArray(calls)) {
          calls.forEach((call, j) => blocks.push(toolUse(call, `${param}.tool_calls[${j}]`)));
        }
        add("assistant", blocks);
        break;
      }
      case "tool":
        add("user", [toolResult(message, param)]);
        break;
      default:
        throw invalidRequest(
          `messages with role '${String(message.role)}' cannot be sent to Anthropic`,
          `${param}.role`,
        );
    }
  });

  return {
    system,
    messages: turns.map(({ role, blocks }) => {
      // Tool results must open a user turn; the order among the rest is kept.
      const ordered =
        role === "user"
          ? [
              ...blocks.filter((b) => b.type === "tool_result"),
              ...blocks.filter((b) => b.type !== "tool_result"),
            ]
          : blocks;
      return { role, content: compact(ordered) };
    }),
  };
}

/** The top-level `system` value: a string for one plain block, else the blocks; null for none. */
export function systemValue(blocks: Block[]): string | Block[] | null {
  return blocks.length === 0 ? null : compact(blocks);
}
