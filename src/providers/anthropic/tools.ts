import type { Block } from "./content-parts";
import { invalidRequest } from "./errors";
import { isRecord, type JsonRecord } from "./json-guards";

/**
 * `tools`, `tool_choice`, `parallel_tool_calls` and `response_format` as Anthropic tool settings.
 *
 * `response_format` (json_object / json_schema) has no Messages API counterpart, so it is emulated
 * with a tool: the schema (for json_object: any object) becomes the `input_schema` of one more
 * tool, the model is made to call it, and the response translation returns that call's input as
 * the message content (finish reason `stop`), never as a tool call. Tool inputs are validated
 * against their schema by Anthropic, which makes this the faithful way to get schema-shaped JSON:
 *  - no client tools (or `tool_choice: "none"`): the answer tool is forced (`{type: "tool"}`);
 *  - client tools with `auto`: `{type: "any"}` — the model either calls a client tool or answers
 *    through the answer tool, never in free text;
 *  - `required` or a named function: this turn is a tool call anyway, nothing is emulated.
 */

export interface ToolPlan {
  tools: Block[];
  /** Omitted when null (Anthropic's default, `auto`). */
  toolChoice: JsonRecord | null;
  /** The tool whose input is the JSON answer (response_format emulation), or null. */
  jsonTool: string | null;
}

const JSON_TOOL = "json_response";

function translateTool(tool: unknown, param: string): Block {
  if (!isRecord(tool) || tool.type !== "function" || !isRecord(tool.function)) {
    throw invalidRequest("Anthropic supports tools of type 'function' only", `${param}.type`);
  }
  const fn = tool.function;
  if (typeof fn.name !== "string" || fn.name === "") {
    throw invalidRequest("a tool needs a function name", `${param}.function.name`);
  }
  const out: Block = {
    name: fn.name,
    input_schema: isRecord(fn.parameters) ? fn.parameters : { type: "object", properties: {} },
  };
  if (typeof fn.description === "string" && fn.description !== "") out.description = fn.description;
  return out;
}

type Choice = "auto" | "none" | "required" | { name: string } | undefined;

function readChoice(value: unknown): Choice {
  if (value === undefined || value === null) return undefined;
  if (value === "auto" || value === "none" || value === "required") return value;
  if (isRecord(value) && isRecord(value.function) && typeof value.function.name === "string") {
    return { name: value.function.name };
  }
  throw invalidRequest(
    "tool_choice must be 'auto', 'none', 'required' or {type: 'function', function: {name}}",
    "tool_choice",
  );
}

/** The JSON answer schema asked for by `response_format`, or null for plain text. */
function answerSchema(format: unknown): { schema: JsonRecord; description: string } | null {
  if (format === undefined || format === null) return null;
  if (!isRecord(format))
    throw invalidRequest("response_format must be an object", "response_format");
  const generic = "Give your final answer by calling this tool: its input is the answer, as JSON.";
  switch (format.type) {
    case "text":
      return null;
    case "json_object":
      return { schema: { type: "object" }, description: generic };
    case "json_schema": {
      const spec = isRecord(format.json_schema) ? format.json_schema : {};
      const about = typeof spec.description === "string" ? ` ${spec.description}` : "";
      return {
        schema: isRecord(spec.schema) ? spec.schema : { type: "object" },
        description: `${generic}${about}`,
      };
    }
    default:
      throw invalidRequest(
        `response_format type '${String(format.type)}' is not supported`,
        "response_format.type",
      );
  }
}

function mapChoice(choice: Choice): JsonRecord | null {
  if (choice === undefined) return null;
  if (choice === "auto") return { type: "auto" };
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any" };
  return { type: "tool", name: choice.name };
}

export function translateTools(body: JsonRecord): ToolPlan {
  const tools = Array.isArray(body.tools)
    ? body.tools.map((t, i) => translateTool(t, `tools[${i}]`))
    : [];
  const choice = readChoice(body.tool_choice);
  const noParallel = body.parallel_tool_calls === false;
  const answer = answerSchema(body.response_format);
  const forcedCall = choice === "required" || (typeof choice === "object" && choice !== null);

  if (answer !== null && !forcedCall) {
    const taken = new Set(tools.map((t) => t.name));
    let jsonTool = JSON_TOOL;
    for (let n = 2; taken.has(jsonTool); n++) jsonTool = `${JSON_TOOL}_${n}`;
    const offersClientTools = tools.length > 0 && choice !== "none";
    tools.push({ name: jsonTool, description: answer.description, input_schema: answer.schema });
    const toolChoice: JsonRecord = offersClientTools
      ? { type: "any" }
      : { type: "tool", name: jsonTool };
    // One answer: never several parallel calls of the answer tool.
    if (noParallel || !offersClientTools) toolChoice.disable_parallel_tool_use = true;
    return { tools, toolChoice, jsonTool };
  }

  // Without tools there is nothing to choose from (Anthropic refuses a tool_choice alone).
  if (tools.length === 0) return { tools, toolChoice: null, jsonTool: null };
  let toolChoice = mapChoice(choice);
  if (noParallel && toolChoice?.type !== "none") {
    toolChoice = { ...(toolChoice ?? { type: "auto" }), disable_parallel_tool_use: true };
  }
  return { tools, toolChoice, jsonTool: null };
}
