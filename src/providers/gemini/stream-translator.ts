import { redactSecret } from "../http/upstream-errors";
import { ProviderError, type FinishReason, type JsonObject } from "../types";
import { googleError, providerErrorFromGoogle } from "./errors";
import { unifyFinishReason, wireFinishReason } from "./finish-reason";
import { asString, isObject } from "./json";
import { logprobsFromGemini } from "./logprobs";
import { completionId, nowSeconds } from "./response";
import { summarizeParts } from "./tool-calls";
import { usageFromGemini, type GeminiUsage } from "./usage";

/**
 * Gemini stream events (each a partial `GenerateContentResponse`) → OpenAI
 * `chat.completion.chunk` SSE text, one event at a time:
 *  - per choice: a role chunk first, then text deltas (and thought summaries as
 *    `reasoning_content`), each function call as one tool_calls delta carrying its index, id,
 *    name and complete arguments (Gemini sends calls whole), then a finish_reason chunk;
 *  - a prompt blocked before any candidate: role chunk + finish_reason `content_filter`;
 *  - at the end, when asked for, a usage chunk with `choices: []` (Gemini repeats cumulative
 *    usageMetadata on events; the last one counts), then `data: [DONE]`.
 * An `error` event, or an end before every choice finished, throws a ProviderError: the stream
 * then errors, it never ends as if the answer were complete.
 */

interface ChoiceState {
  calls: number;
  finished: boolean;
}

export interface StreamContext {
  requestedModel: string;
  includeUsage: boolean;
  /** The upstream credential, redacted from error events. */
  secret?: string;
}

export class StreamTranslator {
  private id = "";
  private model = "";
  private created = 0;
  private readonly choices = new Map<number, ChoiceState>();
  private usage: GeminiUsage | null = null;
  /** The unified finish reason of the first choice to finish (for the caller's records). */
  finishReason: FinishReason | null = null;

  constructor(private readonly context: StreamContext) {}

  /** SSE text for one upstream event's data (may be empty). */
  event(data: string): string {
    const text = data.trim();
    if (text === "" || text === "[DONE]") return "";
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ProviderError({
        message: "the upstream sent a stream event that is not JSON",
        status: 502,
        kind: "protocol",
      });
    }
    const error = googleError(parsed);
    if (error) throw this.streamError(text);
    if (!isObject(parsed)) return "";
    if (this.id === "") {
      this.id = completionId(parsed);
      this.model = asString(parsed.modelVersion) ?? this.context.requestedModel;
      this.created = nowSeconds();
    }
    this.usage = usageFromGemini(parsed.usageMetadata) ?? this.usage;

    let out = "";
    const candidates = Array.isArray(parsed.candidates) ? parsed.candidates : [];
    candidates.forEach((c: unknown, position) => {
      if (isObject(c)) out += this.candidate(c, position);
    });
    const feedback = isObject(parsed.promptFeedback) ? parsed.promptFeedback : {};
    if (candidates.length === 0 && typeof feedback.blockReason === "string") {
      const { state, opening } = this.state(0);
      if (!state.finished) out += opening + this.finish(0, state, "content_filter");
    }
    return out;
  }

  /** The closing SSE text; throws when the upstream ended before the answer was complete. */
  end(): string {
    const unfinished =
      this.choices.size === 0 || [...this.choices.values()].some((s) => !s.finished);
    if (unfinished) {
      throw new ProviderError({
        message: "the upstream stream ended before the answer was complete",
        status: 502,
        kind: "protocol",
      });
    }
    let out = "";
    if (this.context.includeUsage && this.usage) {
      out += this.sse({ ...this.base(), choices: [], usage: this.usage.body });
    }
    return `${out}data: [DONE]\n\n`;
  }

  private candidate(candidate: JsonObject, position: number): string {
    const index = typeof candidate.index === "number" ? candidate.index : position;
    const { state, opening } = this.state(index);
    let out = opening;
    if (state.finished) return out; // nothing may follow a finish
    const content = isObject(candidate.content) ? candidate.content : {};
    const { text, reasoning, toolCalls } = summarizeParts(content.parts, state.calls);
    if (reasoning !== "") out += this.delta(index, { reasoning_content: reasoning });
    const logprobs = logprobsFromGemini(candidate.logprobsResult);
    if (text !== "" || logprobs) out += this.delta(index, { content: text }, logprobs);
    for (const call of toolCalls) {
      out += this.delta(index, { tool_calls: [{ index: state.calls++, ...call }] });
    }
    const raw = asString(candidate.finishReason);
    const unified = unifyFinishReason(raw, state.calls > 0);
    if (unified !== null) out += this.finish(index, state, unified);
    return out;
  }

  /** A choice's state, and its role chunk when this is the choice's first appearance. */
  private state(index: number): { state: ChoiceState; opening: string } {
    let state = this.choices.get(index);
    if (state) return { state, opening: "" };
    state = { calls: 0, finished: false };
    this.choices.set(index, state);
    return { state, opening: this.delta(index, { role: "assistant", content: "" }) };
  }

  private finish(index: number, state: ChoiceState, unified: FinishReason): string {
    state.finished = true;
    this.finishReason ??= unified;
    return this.sse({
      ...this.base(),
      choices: [{ index, delta: {}, logprobs: null, finish_reason: wireFinishReason(unified) }],
    });
  }

  private delta(index: number, delta: JsonObject, logprobs: JsonObject | null = null): string {
    return this.sse({
      ...this.base(),
      choices: [{ index, delta, logprobs, finish_reason: null }],
    });
  }

  private base(): JsonObject {
    return {
      id: this.id,
      object: "chat.completion.chunk",
      created: this.created,
      model: this.model,
    };
  }

  private sse(chunk: JsonObject): string {
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  private streamError(text: string): ProviderError {
    const redacted = redactSecret(text, this.context.secret);
    const parsed: unknown = JSON.parse(redacted);
    return providerErrorFromGoogle({ error: googleError(parsed)!, raw: parsed });
  }
}
