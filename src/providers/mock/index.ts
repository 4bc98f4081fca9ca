import { createHash } from "node:crypto";
import {
  ProviderError,
  type CallOptions,
  type ChatResult,
  type JsonObject,
  type ProviderAdapter,
  type ProviderConfig,
  type StreamResult,
  type Usage,
} from "../types";

/**
 * A deterministic in-process provider (no network): for demos, local development and tests.
 * Chat echoes the last user message (or calls the offered tools with arguments built from their
 * schemas), streams it in pieces, honours `n`, `response_format`, `max_tokens` and
 * `stream_options.include_usage`; embeddings are unit vectors derived from a hash of the input.
 *
 * Special models: `mock-error-500` (upstream 500), `mock-rate-limit` (429, retry after 1 s),
 * `mock-stream-break` (streams a few chunks, then fails; non-stream: fails after "connecting").
 */

const CREATED = 1_715_367_049;
/** Listed besides the configured models, so the special behaviours can be called by name. */
const LISTED_MODELS = [
  "mock-gpt",
  "mock-embed",
  "mock-error-500",
  "mock-rate-limit",
  "mock-stream-break",
];
const DEFAULT_DIMENSIONS = 64;
const encoder = new TextEncoder();

type Message = { role?: unknown; content?: unknown };

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((p: unknown) => {
        const part = p as { type?: unknown; text?: unknown } | null;
        return part && typeof part.text === "string" ? part.text : "";
      })
      .filter(Boolean)
      .join(" ");
  }
  return "";
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return "";
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as Message | null;
    if (m && m.role === "user") return contentText(m.content);
  }
  return "";
}

const tokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));
const shortHash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 24);

/** A value matching a JSON schema (good enough for tool arguments and structured outputs). */
function sample(schema: unknown, name: string, depth = 0): unknown {
  if (!schema || typeof schema !== "object" || depth > 8) return `mock-${name}`;
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if ("const" in s) return s.const;
  const alt = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(alt) && alt.length > 0) return sample(alt[0], name, depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  switch (type) {
    case "string":
      return `mock-${name}`;
    case "integer":
      return 7;
    case "number":
      return 42.5;
    case "boolean":
      return true;
    case "null":
      return null;
    case "array":
      return [sample(s.items, name, depth + 1)];
    default: {
      const out: Record<string, unknown> = {};
      const props = s.properties && typeof s.properties === "object" ? s.properties : {};
      for (const [k, v] of Object.entries(props as Record<string, unknown>)) {
        out[k] = sample(v, k, depth + 1);
      }
      return out;
    }
  }
}

interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

type Plan =
  | { kind: "text"; text: string; finish: "stop" | "length" }
  | { kind: "tools"; calls: ToolCall[]; finish: "tool_calls" };

function planChoice(body: JsonObject, model: string, index: number): Plan {
  const messages = Array.isArray(body.messages) ? (body.messages as Message[]) : [];
  const last = messages[messages.length - 1];
  const tools = Array.isArray(body.tools)
    ? (body.tools as { function?: { name?: unknown; parameters?: unknown } }[]).filter(
        (t) => t && t.function && typeof t.function.name === "string",
      )
    : [];
  const choice = body.tool_choice as { function?: { name?: unknown } } | string | undefined;
  const forced = choice === "required" || (typeof choice === "object" && choice !== null);
  if (tools.length > 0 && choice !== "none" && (forced || last?.role !== "tool")) {
    let chosen = tools;
    if (typeof choice === "object" && choice !== null) {
      chosen = tools.filter((t) => t.function!.name === choice.function?.name);
    } else if (body.parallel_tool_calls === false) chosen = tools.slice(0, 1);
    const seed = shortHash(JSON.stringify(messages));
    return {
      kind: "tools",
      finish: "tool_calls",
      calls: chosen.map((t, i) => ({
        id: `call_${seed}${index}${i}`,
        type: "function",
        function: {
          name: t.function!.name as string,
          arguments: JSON.stringify(sample(t.function!.parameters, t.function!.name as string)),
        },
      })),
    };
  }
  let text =
    last?.role === "tool"
      ? `Tool result received: ${contentText(last.content)}`
      : lastUserText(messages) || `(mock ${model}: no user message)`;
  if (index > 0) text = `${text} [${index}]`;
  const format = body.response_format as {
    type?: unknown;
    json_schema?: { schema?: unknown };
  } | null;
  if (format?.type === "json_schema")
    text = JSON.stringify(sample(format.json_schema?.schema, "field"));
  else if (format?.type === "json_object") text = JSON.stringify({ echo: text });
  const limit = body.max_completion_tokens ?? body.max_tokens;
  if (typeof limit === "number" && Number.isInteger(limit) && limit > 0 && tokens(text) > limit) {
    return { kind: "text", text: text.slice(0, limit * 4), finish: "length" };
  }
  return { kind: "text", text, finish: "stop" };
}

function usageOf(promptTokens: number, completionTokens: number) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

const unified = (u: ReturnType<typeof usageOf>): Usage => ({
  promptTokens: u.prompt_tokens,
  completionTokens: u.completion_tokens,
  totalTokens: u.total_tokens,
});

function planTokens(plan: Plan): number {
  return plan.kind === "text"
    ? tokens(plan.text)
    : plan.calls.reduce((n, c) => n + tokens(c.function.arguments), 0);
}

/** Splits text into at most `n` pieces at word boundaries (each keeps its leading space). */
function pieces(text: string, n = 8): string[] {
  const words = text.match(/\s*\S+/g) ?? [text];
  const size = Math.max(1, Math.ceil(words.length / n));
  const out: string[] = [];
  for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(""));
  return out.length > 0 ? out : [""];
}

function specialFailure(model: string): ProviderError | null {
  if (model === "mock-error-500") {
    return new ProviderError({
      message: "The server had an error while processing your request. Sorry about that!",
      status: 500,
      type: "server_error",
    });
  }
  if (model === "mock-rate-limit") {
    return new ProviderError({
      message: "Rate limit reached for requests (mock). Please try again in 1s.",
      status: 429,
      retryAfterMs: 1000,
      type: "requests",
      code: "rate_limit_exceeded",
    });
  }
  return null;
}

function checkCall(options: CallOptions, model: string): void {
  if (options.signal.aborted) {
    const err = new Error("The request was aborted.");
    err.name = "AbortError";
    throw err;
  }
  const failure = specialFailure(model);
  if (failure) throw failure;
}

function modelOf(body: JsonObject): string {
  return typeof body.model === "string" ? body.model : "mock-gpt";
}

const idFor = (prefix: string, body: JsonObject) => `${prefix}${shortHash(JSON.stringify(body))}`;

/** SSE events, one per pull (so backpressure and cancellation behave like a real upstream). */
function sseStream(
  events: string[],
  options: CallOptions,
  breakAfter = Infinity,
): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (options.signal.aborted) return controller.error(new Error("aborted"));
        if (next >= breakAfter) {
          return controller.error(
            new ProviderError({
              message: "the upstream closed the connection before the response was complete",
              status: 502,
              kind: "protocol",
            }),
          );
        }
        if (next < events.length) controller.enqueue(encoder.encode(`data: ${events[next++]}\n\n`));
        else {
          controller.enqueue(encoder.encode("data: [DONE]\n\n"));
          controller.close();
        }
      },
    },
    { highWaterMark: 0 },
  );
}

function chatBody(body: JsonObject): {
  model: string;
  plans: Plan[];
  usage: ReturnType<typeof usageOf>;
} {
  const model = modelOf(body);
  const n =
    typeof body.n === "number" && Number.isInteger(body.n) ? Math.min(Math.max(body.n, 1), 8) : 1;
  const plans = Array.from({ length: n }, (_, i) => planChoice(body, model, i));
  const prompt = tokens(JSON.stringify(body.messages ?? ""));
  return {
    model,
    plans,
    usage: usageOf(
      prompt,
      plans.reduce((s, p) => s + planTokens(p), 0),
    ),
  };
}

/** A request the mock cannot handle (e.g. nesting too deep to serialize) is a 400, as upstream. */
function guarded<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (err) {
      if (err instanceof ProviderError || (err instanceof Error && err.name === "AbortError"))
        throw err;
      throw new ProviderError({
        message: `The mock provider could not process this request (${err instanceof Error ? err.message : String(err)}).`,
        status: 400,
        type: "invalid_request_error",
      });
    }
  };
}

const mockMethods: ProviderAdapter = {
  type: "mock",

  async chat(_config, body, options): Promise<ChatResult> {
    const { model, plans, usage } = chatBody(body);
    checkCall(options, model);
    if (model === "mock-stream-break") {
      throw new ProviderError({
        message: "the upstream closed the connection before the response was complete",
        status: 502,
        kind: "protocol",
      });
    }
    const answer = {
      id: idFor("chatcmpl-mock", body),
      object: "chat.completion",
      created: CREATED,
      model,
      choices: plans.map((p, index) => ({
        index,
        message:
          p.kind === "text"
            ? { role: "assistant", content: p.text, refusal: null }
            : { role: "assistant", content: null, refusal: null, tool_calls: p.calls },
        logprobs: null,
        finish_reason: p.finish,
      })),
      usage,
      system_fingerprint: "fp_mock",
    };
    return {
      body: answer,
      usage: unified(usage),
      finishReason: plans[0]!.finish,
      rawFinishReason: plans[0]!.finish,
    };
  },

  async chatStream(_config, body, options): Promise<StreamResult> {
    const { model, plans, usage } = chatBody(body);
    checkCall(options, model);
    const id = idFor("chatcmpl-mock", body);
    const includeUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    const chunk = (choices: unknown[], extra: JsonObject = {}) =>
      JSON.stringify({
        id,
        object: "chat.completion.chunk",
        created: CREATED,
        model,
        system_fingerprint: "fp_mock",
        choices,
        ...(includeUsage ? { usage: null } : {}),
        ...extra,
      });
    const events: string[] = [];
    plans.forEach((p, index) => {
      const delta =
        p.kind === "text"
          ? { role: "assistant", content: "" }
          : { role: "assistant", content: null };
      events.push(chunk([{ index, delta, logprobs: null, finish_reason: null }]));
      if (p.kind === "text") {
        for (const piece of pieces(p.text)) {
          events.push(
            chunk([{ index, delta: { content: piece }, logprobs: null, finish_reason: null }]),
          );
        }
      } else {
        p.calls.forEach((c, ci) => {
          events.push(
            chunk([
              {
                index,
                delta: {
                  tool_calls: [
                    {
                      index: ci,
                      id: c.id,
                      type: "function",
                      function: { name: c.function.name, arguments: "" },
                    },
                  ],
                },
                logprobs: null,
                finish_reason: null,
              },
            ]),
          );
          for (const piece of pieces(c.function.arguments, 3)) {
            events.push(
              chunk([
                {
                  index,
                  delta: { tool_calls: [{ index: ci, function: { arguments: piece } }] },
                  logprobs: null,
                  finish_reason: null,
                },
              ]),
            );
          }
        });
      }
      events.push(chunk([{ index, delta: {}, logprobs: null, finish_reason: p.finish }]));
    });
    if (includeUsage) events.push(chunk([], { usage }));
    return { body: sseStream(events, options, model === "mock-stream-break" ? 3 : Infinity) };
  },

  async embed(_config, body, options) {
    const model = modelOf(body);
    checkCall(options, model);
    const input = body.input;
    const inputs: string[] =
      typeof input === "string"
        ? [input]
        : Array.isArray(input)
          ? input.map((x) => (typeof x === "string" ? x : JSON.stringify(x)))
          : [JSON.stringify(input)];
    const dims =
      typeof body.dimensions === "number" && Number.isInteger(body.dimensions)
        ? Math.min(Math.max(body.dimensions, 1), 4096)
        : DEFAULT_DIMENSIONS;
    const base64 = body.encoding_format === "base64";
    const promptTokens = inputs.reduce((n, s) => n + tokens(s), 0);
    const answer = {
      object: "list",
      data: inputs.map((text, index) => {
        const v = vectorFor(model, text, dims);
        return {
          object: "embedding",
          index,
          embedding: base64
            ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64")
            : Array.from(v),
        };
      }),
      model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    };
    return {
      body: answer,
      usage: { promptTokens, completionTokens: 0, totalTokens: promptTokens },
    };
  },

  async completions(_config, body, options): Promise<ChatResult> {
    const model = modelOf(body);
    checkCall(options, model);
    const prompt =
      typeof body.prompt === "string" ? body.prompt : JSON.stringify(body.prompt ?? "");
    const text = ` ${prompt}`;
    const usage = usageOf(tokens(prompt), tokens(text));
    return {
      body: {
        id: idFor("cmpl-mock", body),
        object: "text_completion",
        created: CREATED,
        model,
        choices: [{ index: 0, text, logprobs: null, finish_reason: "stop" }],
        usage,
      },
      usage: unified(usage),
      finishReason: "stop",
      rawFinishReason: "stop",
    };
  },

  async listModels(config: ProviderConfig) {
    return [...new Set([...config.models, ...LISTED_MODELS])].map((id) => ({
      id,
      ownedBy: "mock",
    }));
  },
};

export const mockAdapter: ProviderAdapter = {
  type: "mock",
  chat: guarded(mockMethods.chat),
  chatStream: guarded(mockMethods.chatStream),
  embed: guarded(mockMethods.embed),
  completions: guarded(mockMethods.completions!),
  listModels: mockMethods.listModels,
};

/** A deterministic unit vector for (model, input). */
export function vectorFor(model: string, input: string, dims: number): Float32Array {
  const seed = createHash("sha256").update(`${model}\u0000${input}`).digest();
  let a = seed.readUInt32LE(0) | 0;
  const v = new Float32Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    // mulberry32
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    v[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
    norm += v[i]! * v[i]!;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dims; i++) v[i] = v[i]! / norm;
  return v;
}
