import type { countTokens as CountTokens } from "gpt-tokenizer/encoding/o200k_base";
import { LRUCache } from "lru-cache";
import { maxOutputTokens } from "./output-tokens";

export { DEFAULT_MAX_OUTPUT_TOKENS, maxOutputTokens } from "./output-tokens";

/**
 * Token estimates for admission (TPM limits) and cost reservations (budgets). The count uses the
 * o200k_base tokenizer (GPT-4o family) plus OpenAI's chat framing; other models' tokenizers differ
 * by a few percent, which is fine: every estimate is reconciled with the provider's real usage when
 * the request settles.
 */

/** Chat framing per message (`<|start|>role…<|end|>`) as OpenAI counts it. */
export const TOKENS_PER_MESSAGE = 3;
/** Extra token when a message carries a `name`. */
export const TOKENS_PER_NAME = 1;
/** Every reply is primed with `<|start|>assistant<|message|>`. */
export const TOKENS_REPLY_PRIMING = 3;
/** An image part: OpenAI's price of a 1024×1024 high-detail image (85 for `detail: "low"`). */
export const TOKENS_PER_IMAGE = 765;
export const TOKENS_PER_LOW_DETAIL_IMAGE = 85;
/** Audio, file and other non-text parts, whose size the gateway does not decode. */
export const TOKENS_PER_OTHER_PART = 1000;
/** Framing of the tool list; each definition then counts as the tokens of its JSON. */
export const TOKENS_TOOLS_OVERHEAD = 12;
/**
 * Text beyond this many characters per request is estimated at one token per 3 characters
 * instead of tokenized (an over-estimate for most text), so a megabyte prompt costs no more than
 * a 64 KB one to admit.
 */
export const EXACT_TOKENIZE_CHARS = 64 * 1024;

const NO_SPECIAL = { disallowedSpecial: new Set<string>() };

/**
 * Counts of long strings seen recently: chat clients re-send the whole conversation (and the same
 * system prompt) every turn, so most of a prompt was tokenized on an earlier request. Bounded by
 * total characters held.
 */
const CACHE_MIN_CHARS = 256;
const countCache = new LRUCache<string, number>({
  maxSize: 4_000_000,
  sizeCalculation: (_, key) => key.length,
});

/**
 * The tokenizer, loaded by `loadTokenizer()`. Imported dynamically so that bundling this module
 * into the server does not turn it into a start-up import: its tables cost ~20–40 MB of memory,
 * paid only once a request needs an estimate (a TPM limit or a budget applies).
 */
let countTokens: typeof CountTokens | null = null;

export async function loadTokenizer(): Promise<void> {
  countTokens ??= (await import("gpt-tokenizer/encoding/o200k_base")).countTokens;
}

function tokenizer(): typeof CountTokens {
  if (countTokens === null) throw new Error("token estimate used before loadTokenizer() resolved");
  return countTokens;
}

function count(s: string): number {
  const countTokens = tokenizer();
  if (s.length < CACHE_MIN_CHARS) return countTokens(s, NO_SPECIAL);
  let n = countCache.get(s);
  if (n === undefined) {
    n = countTokens(s, NO_SPECIAL);
    countCache.set(s, n);
  }
  return n;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Counts text against a per-request character allowance shared by all of a request's strings. */
class TextCounter {
  private exactLeft = EXACT_TOKENIZE_CHARS;
  tokens = 0;

  text(s: unknown): void {
    if (typeof s !== "string" || s.length === 0) return;
    if (s.length <= this.exactLeft) {
      this.exactLeft -= s.length;
      this.tokens += count(s);
      return;
    }
    const exact = s.slice(0, this.exactLeft);
    const rest = s.length - exact.length;
    this.exactLeft = 0;
    if (exact.length > 0) this.tokens += count(exact);
    this.tokens += Math.ceil(rest / 3);
  }

  json(v: unknown): void {
    if (v === undefined) return;
    this.text(typeof v === "string" ? v : JSON.stringify(v));
  }
}

function countContent(counter: TextCounter, content: unknown): void {
  if (typeof content === "string") return counter.text(content);
  if (!Array.isArray(content)) return;
  for (const part of content) {
    if (typeof part === "string") counter.text(part);
    else if (!isObject(part)) continue;
    else if (typeof part.text === "string") counter.text(part.text);
    else if (typeof part.refusal === "string") counter.text(part.refusal);
    else if (part.type === "image_url" || part.type === "image") {
      const url = isObject(part.image_url) ? part.image_url : null;
      counter.tokens += url?.detail === "low" ? TOKENS_PER_LOW_DETAIL_IMAGE : TOKENS_PER_IMAGE;
    } else counter.tokens += TOKENS_PER_OTHER_PART;
  }
}

function countMessages(counter: TextCounter, messages: readonly unknown[]): void {
  for (const message of messages) {
    counter.tokens += TOKENS_PER_MESSAGE;
    if (!isObject(message)) continue;
    counter.text(message.role);
    countContent(counter, message.content);
    if (typeof message.name === "string") {
      counter.text(message.name);
      counter.tokens += TOKENS_PER_NAME;
    }
    if (Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls) {
        const fn = isObject(call) && isObject(call.function) ? call.function : null;
        if (!fn) continue;
        counter.text(fn.name);
        counter.text(fn.arguments);
      }
    }
    if (isObject(message.function_call)) {
      counter.text(message.function_call.name);
      counter.text(message.function_call.arguments);
    }
  }
  counter.tokens += TOKENS_REPLY_PRIMING;
}

function countTools(counter: TextCounter, body: Json): void {
  const tools = Array.isArray(body.tools)
    ? body.tools
    : Array.isArray(body.functions)
      ? body.functions
      : null;
  if (!tools || tools.length === 0) return;
  counter.tokens += TOKENS_TOOLS_OVERHEAD;
  for (const tool of tools) counter.json(tool);
}

/** Strings, string arrays, or token arrays (`number[]` / `number[][]`) as `prompt` / `input` take them. */
function countPromptLike(counter: TextCounter, value: unknown): void {
  if (typeof value === "string") return counter.text(value);
  if (!Array.isArray(value)) return;
  for (const item of value) {
    if (typeof item === "string") counter.text(item);
    else if (typeof item === "number") counter.tokens += 1;
    else if (Array.isArray(item)) counter.tokens += item.length;
  }
}

/**
 * Estimated prompt tokens of a chat (`messages`, `tools`), completions (`prompt`) or embeddings
 * (`input`) request body. Never throws: a malformed body counts what it can.
 */
export function estimatePromptTokens(body: unknown): number {
  if (!isObject(body)) return 0;
  const counter = new TextCounter();
  if (Array.isArray(body.messages)) {
    countMessages(counter, body.messages);
    countTools(counter, body);
  } else if (body.prompt !== undefined) {
    countPromptLike(counter, body.prompt);
    counter.text(body.suffix);
  } else {
    countPromptLike(counter, body.input);
  }
  return counter.tokens;
}

/** What TPM admission takes for a request: prompt estimate + maximum output. */
export function estimateRequestTokens(body: unknown): number {
  return estimatePromptTokens(body) + maxOutputTokens(body);
}
