import type { JsonObject } from "~/providers/types";
import type { GatewayContext } from "../context";
import { GatewayError } from "../gateway-error";

/**
 * Minimal, fast checks of the fields the gateway itself relies on (model, stream, the shape of
 * messages/input) and of common type mistakes, with OpenAI's messages and `param`s. Everything
 * else passes through for the upstream to judge: it knows its own parameters best.
 */

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "number") return Number.isInteger(v) ? "an integer" : "a decimal";
  if (typeof v === "object") return "an object";
  return `a ${typeof v}`;
}

function invalidType(param: string, expected: string, got: unknown): GatewayError {
  return new GatewayError(
    "invalid_type",
    400,
    `Invalid type for '${param}': expected ${expected}, but got ${typeName(got)} instead.`,
    param,
  );
}

function missing(param: string): GatewayError {
  return new GatewayError(
    "missing_required_parameter",
    400,
    `Missing required parameter: '${param}'.`,
    param,
  );
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const present = (v: unknown) => v !== undefined && v !== null;

function checkModel(body: JsonObject): string {
  const model = body.model;
  if (model === undefined || model === null || model === "") {
    throw new GatewayError(
      "missing_required_parameter",
      400,
      "You must provide a model parameter.",
      "model",
    );
  }
  if (typeof model !== "string") throw invalidType("model", "a string", model);
  if (model.length > 256) {
    throw new GatewayError(
      "invalid_value",
      400,
      "Invalid 'model': longer than 256 characters.",
      "model",
    );
  }
  return model;
}

function checkStream(body: JsonObject): boolean {
  const stream = body.stream;
  if (present(stream) && typeof stream !== "boolean")
    throw invalidType("stream", "a boolean", stream);
  const options = body.stream_options;
  if (present(options) && !isObject(options))
    throw invalidType("stream_options", "an object", options);
  return stream === true;
}

function checkUser(body: JsonObject): string | null {
  const user = body.user;
  if (!present(user)) return null;
  if (typeof user !== "string") throw invalidType("user", "a string", user);
  return user;
}

function checkOptionalNumber(body: JsonObject, param: string, integer: boolean): void {
  const v = body[param];
  if (!present(v)) return;
  if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw invalidType(param, integer ? "an integer" : "a number", v);
  }
}

const NUMERIC_PARAMS: [string, boolean][] = [
  ["n", true],
  ["max_tokens", true],
  ["max_completion_tokens", true],
  ["temperature", false],
  ["top_p", false],
  ["presence_penalty", false],
  ["frequency_penalty", false],
  ["seed", true],
  ["top_logprobs", true],
];

function checkCommon(ctx: GatewayContext, body: JsonObject): void {
  ctx.requestedModel = checkModel(body);
  ctx.stream = checkStream(body);
  ctx.endUser = checkUser(body);
  for (const [param, integer] of NUMERIC_PARAMS) checkOptionalNumber(body, param, integer);
}

/** `POST /v1/chat/completions` */
export function validateChat(ctx: GatewayContext, body: JsonObject): void {
  checkCommon(ctx, body);
  const messages = body.messages;
  if (messages === undefined) throw missing("messages");
  if (!Array.isArray(messages)) throw invalidType("messages", "an array", messages);
  if (messages.length === 0) {
    throw new GatewayError(
      "empty_array",
      400,
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
    );
  }
  for (let i = 0; i < messages.length; i++) {
    const m: unknown = messages[i];
    if (!isObject(m)) throw invalidType(`messages[${i}]`, "an object", m);
    if (typeof m.role !== "string") {
      throw m.role === undefined
        ? missing(`messages[${i}].role`)
        : invalidType(`messages[${i}].role`, "a string", m.role);
    }
    const content = m.content;
    if (present(content) && typeof content !== "string" && !Array.isArray(content)) {
      throw invalidType(`messages[${i}].content`, "a string or an array of content parts", content);
    }
  }
  if (present(body.tools) && !Array.isArray(body.tools))
    throw invalidType("tools", "an array", body.tools);
  if (present(body.response_format) && !isObject(body.response_format)) {
    throw invalidType("response_format", "an object", body.response_format);
  }
}

/** `POST /v1/embeddings` */
export function validateEmbeddings(ctx: GatewayContext, body: JsonObject): void {
  ctx.requestedModel = checkModel(body);
  ctx.endUser = checkUser(body);
  ctx.stream = false;
  const input = body.input;
  if (input === undefined || input === null) throw missing("input");
  if (typeof input !== "string" && !Array.isArray(input)) {
    throw invalidType("input", "a string or an array", input);
  }
  if (Array.isArray(input) && input.length === 0) {
    throw new GatewayError("empty_array", 400, "Invalid 'input': empty array.", "input");
  }
  checkOptionalNumber(body, "dimensions", true);
  const format = body.encoding_format;
  if (present(format) && format !== "float" && format !== "base64") {
    throw new GatewayError(
      "invalid_value",
      400,
      `Invalid value for 'encoding_format': ${JSON.stringify(String(format).slice(0, 50))}. Supported values are: 'float' and 'base64'.`,
      "encoding_format",
    );
  }
}

/** `POST /v1/completions` (legacy) */
export function validateCompletions(ctx: GatewayContext, body: JsonObject): void {
  checkCommon(ctx, body);
  const prompt = body.prompt;
  if (present(prompt) && typeof prompt !== "string" && !Array.isArray(prompt)) {
    throw invalidType("prompt", "a string or an array", prompt);
  }
}
