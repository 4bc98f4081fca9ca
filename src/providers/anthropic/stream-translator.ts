import { fromStreamErrorEvent, protocolError } from "./errors";
import { isRecord, stringOr, type JsonRecord } from "./json-guards";
import { completionId, nowSeconds } from "./response";
import type { SseEvent } from "./sse-parser";
import { mapStopReason, NO_TOKENS, openAIUsage, readTokens, type AnthropicTokens } from "./usage";

/**
 * Anthropic stream events → OpenAI `chat.completion.chunk` SSE text, one event at a time:
 *  - `message_start` → the first chunk (`role: "assistant"`);
 *  - text blocks → `content` deltas;
 *  - a `tool_use` block → a `tool_calls` delta with its index among the tool calls (0-based),
 *    id, type and name (arguments `""`), then each `input_json_delta` as an arguments delta;
 *  - `message_delta` → remembered (stop reason, cumulative usage);
 *  - `message_stop` → the chunk with `finish_reason`, the usage chunk (`choices: []`, when
 *    asked for), `data: [DONE]`;
 *  - `ping` and block types OpenAI has no place for (thinking) → nothing;
 *  - `event: error` → a ProviderError (see errors.ts).
 * With response_format emulation, the answer tool's input JSON streams as `content`.
 */

export interface StreamOptions {
  jsonTool: string | null;
  includeUsage: boolean;
}

type BlockState =
  | { kind: "text" }
  | { kind: "tool"; index: number; sentArguments: boolean }
  | { kind: "json"; sent: boolean }
  | { kind: "ignored" };

const sse = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;

export class StreamTranslator {
  private id = "";
  private model = "";
  private readonly created = nowSeconds();
  private started = false;
  /** `message_stop` was seen: the answer is complete. */
  finished = false;
  private tokens: AnthropicTokens = NO_TOKENS;
  private stopReason: string | null = null;
  private readonly blocks = new Map<number, BlockState>();
  private toolCalls = 0;
  private jsonAnswered = false;

  constructor(private readonly options: StreamOptions) {}

  /** The OpenAI SSE text for one upstream event ("" for none). */
  translate(event: SseEvent): string {
    if (this.finished) return "";
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      if (event.event === "error") throw fromStreamErrorEvent(event.data);
      throw protocolError(`the upstream sent a stream event that is not JSON (${event.event})`);
    }
    if (!isRecord(data))
      throw protocolError("the upstream sent a stream event that is not an object");
    // The payload's own `type` is authoritative; the `event:` line is only a hint.
    const type = stringOr(data.type, event.event);
    if (type === "error") throw fromStreamErrorEvent(data);
    if (type === "ping") return "";
    if (type === "message_start") return this.start(data);
    if (!this.started)
      throw protocolError(`the upstream stream began with '${type}', not message_start`);
    switch (type) {
      case "content_block_start":
        return this.blockStart(data);
      case "content_block_delta":
        return this.blockDelta(data);
      case "content_block_stop":
        return this.blockStop(data);
      case "message_delta":
        if (isRecord(data.delta) && typeof data.delta.stop_reason === "string") {
          this.stopReason = data.delta.stop_reason;
        }
        this.tokens = readTokens(data.usage, this.tokens);
        return "";
      case "message_stop":
        return this.stop();
      default:
        // Anthropic may add event types; they carry nothing an OpenAI client could use.
        return "";
    }
  }

  /** The upstream ended cleanly: only a complete answer may end the stream quietly. */
  end(): void {
    if (!this.finished) {
      throw protocolError(
        "the upstream stream ended before the message was complete (no message_stop)",
      );
    }
  }

  private chunk(delta: JsonRecord, finishReason: string | null = null): string {
    return sse({
      id: this.id,
      object: "chat.completion.chunk",
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    });
  }

  private start(data: JsonRecord): string {
    if (this.started) return "";
    const message = isRecord(data.message) ? data.message : {};
    this.started = true;
    this.id = completionId(stringOr(message.id, "msg_unknown"));
    this.model = stringOr(message.model, "");
    this.tokens = readTokens(message.usage);
    return this.chunk({ role: "assistant", content: "" });
  }

  private blockStart(data: JsonRecord): string {
    const block = isRecord(data.content_block) ? data.content_block : {};
    const index = typeof data.index === "number" ? data.index : -1;
    if (block.type === "text") {
      this.blocks.set(index, { kind: "text" });
      return typeof block.text === "string" && block.text !== ""
        ? this.chunk({ content: block.text })
        : "";
    }
    if (block.type === "tool_use") {
      const name = stringOr(block.name, "");
      if (this.options.jsonTool !== null && name === this.options.jsonTool) {
        this.jsonAnswered = true;
        this.blocks.set(index, { kind: "json", sent: false });
        return "";
      }
      const callIndex = this.toolCalls++;
      this.blocks.set(index, { kind: "tool", index: callIndex, sentArguments: false });
      return this.chunk({
        tool_calls: [
          {
            index: callIndex,
            id: stringOr(block.id, ""),
            type: "function",
            function: { name, arguments: "" },
          },
        ],
      });
    }
    this.blocks.set(index, { kind: "ignored" });
    return "";
  }

  private blockDelta(data: JsonRecord): string {
    const state = typeof data.index === "number" ? this.blocks.get(data.index) : undefined;
    const delta = isRecord(data.delta) ? data.delta : {};
    if (state === undefined || state.kind === "ignored") return "";
    if (state.kind === "text") {
      return delta.type === "text_delta" && typeof delta.text === "string" && delta.text !== ""
        ? this.chunk({ content: delta.text })
        : "";
    }
    if (delta.type !== "input_json_delta" || typeof delta.partial_json !== "string") return "";
    const json = delta.partial_json;
    if (json === "") return "";
    if (state.kind === "json") {
      state.sent = true;
      return this.chunk({ content: json });
    }
    state.sentArguments = true;
    return this.chunk({ tool_calls: [{ index: state.index, function: { arguments: json } }] });
  }

  /** A tool called without input streams no JSON: `{}` keeps it equal to the non-streamed answer. */
  private blockStop(data: JsonRecord): string {
    const state = typeof data.index === "number" ? this.blocks.get(data.index) : undefined;
    if (state?.kind === "tool" && !state.sentArguments) {
      state.sentArguments = true;
      return this.chunk({ tool_calls: [{ index: state.index, function: { arguments: "{}" } }] });
    }
    if (state?.kind === "json" && !state.sent) {
      state.sent = true;
      return this.chunk({ content: "{}" });
    }
    return "";
  }

  private stop(): string {
    this.finished = true;
    const finish = mapStopReason(this.stopReason, this.jsonAnswered && this.toolCalls === 0);
    let out = this.chunk({}, finish.wire);
    if (this.options.includeUsage) {
      out += sse({
        id: this.id,
        object: "chat.completion.chunk",
        created: this.created,
        model: this.model,
        choices: [],
        usage: openAIUsage(this.tokens),
      });
    }
    return `${out}data: [DONE]\n\n`;
  }
}
