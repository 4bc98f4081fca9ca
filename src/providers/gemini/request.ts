import type { JsonObject } from "../types";
import { translateGenerationConfig } from "./generation-config";
import { translateMessages } from "./messages";
import { validatesThoughtSignatures } from "./thought-signatures";
import { translateTools } from "./tools";

/**
 * An OpenAI chat completion request → a Gemini `GenerateContentRequest`. The model goes into the
 * URL (see urls.ts), `stream`/`stream_options` into the choice of endpoint; every other OpenAI field
 * without a Gemini equivalent (user, metadata, store, parallel_tool_calls, …) is dropped.
 */
export function toGenerateContentRequest(body: JsonObject, model: string): JsonObject {
  const { systemInstruction, contents } = translateMessages(body.messages, {
    placeholderSignatures: validatesThoughtSignatures(model),
  });
  const request: JsonObject = { contents };
  if (systemInstruction) request.systemInstruction = systemInstruction;
  const { tools, toolConfig } = translateTools(body);
  if (tools) request.tools = tools;
  if (toolConfig) request.toolConfig = toolConfig;
  const generationConfig = translateGenerationConfig(body, model);
  if (Object.keys(generationConfig).length > 0) request.generationConfig = generationConfig;
  return request;
}
