import type { JsonObject } from "../types";
import { invalidRequest, isObject } from "./json";
import { cleanSchema, isEmptyObjectSchema } from "./schema";

/**
 * OpenAI `tools` / `tool_choice` → Gemini `tools: [{ functionDeclarations }]` / `toolConfig`.
 *   tool_choice "auto" → AUTO, "none" → NONE, "required" → ANY,
 *   { type: "function", function: { name } } → ANY with `allowedFunctionNames: [name]`.
 */

export interface TranslatedTools {
  tools?: JsonObject[];
  toolConfig?: JsonObject;
}

function declaration(tool: unknown, i: number): JsonObject {
  const param = `tools[${i}]`;
  if (!isObject(tool) || tool.type !== "function" || !isObject(tool.function)) {
    throw invalidRequest("Only `function` tools are supported by this provider.", param);
  }
  const fn = tool.function;
  if (typeof fn.name !== "string" || fn.name === "") {
    throw invalidRequest("A function tool needs a name.", `${param}.function.name`);
  }
  const out: JsonObject = { name: fn.name };
  if (typeof fn.description === "string" && fn.description !== "") out.description = fn.description;
  if (fn.parameters !== undefined) {
    const parameters = cleanSchema(fn.parameters);
    // Gemini refuses an OBJECT schema without properties: a tool without arguments has none.
    if (!isEmptyObjectSchema(parameters)) out.parameters = parameters;
  }
  return out;
}

function functionCallingConfig(choice: unknown): JsonObject | undefined {
  if (choice === undefined || choice === null) return undefined;
  switch (choice) {
    case "auto":
      return { mode: "AUTO" };
    case "none":
      return { mode: "NONE" };
    case "required":
      return { mode: "ANY" };
  }
  if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === "string") {
    return { mode: "ANY", allowedFunctionNames: [choice.function.name] };
  }
  throw invalidRequest("Unsupported `tool_choice`.", "tool_choice");
}

export function translateTools(body: JsonObject): TranslatedTools {
  if (!Array.isArray(body.tools) || body.tools.length === 0) return {};
  const tools = [{ functionDeclarations: body.tools.map(declaration) }];
  const config = functionCallingConfig(body.tool_choice);
  return config ? { tools, toolConfig: { functionCallingConfig: config } } : { tools };
}
