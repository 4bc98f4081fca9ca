/**
 * The provider spec. OpenAI's wire format is the lingua franca: every adapter accepts an
 * OpenAI-shaped request body and returns OpenAI-shaped responses and SSE chunks, translating to
 * and from its upstream API inside its own folder. Nothing outside `src/providers/<name>/`
 * branches on a provider type.
 */

/** Unified finish reasons (the raw one is kept next to it). */
export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "error" | "other";

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens served from the provider's prompt cache. */
  cachedReadTokens?: number;
  /** Prompt tokens written to the provider's prompt cache (Anthropic). */
  cachedWriteTokens?: number;
  /** Completion tokens spent on hidden reasoning (o-series, thinking models). */
  reasoningTokens?: number;
}

export interface ProviderTimeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** Request sent → response headers (and, for streams, the first byte). */
  firstByteMs: number;
  /** Longest silence between two stream chunks. */
  idleMs: number;
  /** Whole call, start to last byte. */
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: ProviderTimeouts = {
  connectMs: 10_000,
  firstByteMs: 120_000,
  idleMs: 60_000,
  totalMs: 600_000,
};

/** One configured upstream: an instance-wide one from env/config, or an org's own. */
export interface ProviderConfig {
  /** Name clients use in `provider/model`. */
  id: string;
  /** Adapter name in the registry: `openai`, `openai-compatible`, `mock`, … */
  type: string;
  baseURL: string;
  apiKey?: string;
  /** Extra headers sent upstream (org ids, api versions). */
  headers?: Record<string, string>;
  timeouts: ProviderTimeouts;
  /** Models this provider offers (discovered or configured). */
  models: string[];
  /**
   * Adapter-specific settings, read only by the adapter of `type` (e.g. Azure OpenAI's
   * `apiVersion`: `v1` or a dated version such as `2024-10-21`). Absent = the adapter's defaults.
   */
  options?: Readonly<Record<string, string>>;
  /**
   * Connect only to public addresses: checked at connect time, on every new connection (the
   * resolved address, so a name that later resolves to a private one is refused too). Set for an
   * org's own providers when the instance does not allow private upstreams; never for the
   * instance-wide ones.
   */
  publicAddressesOnly?: boolean;
}

export interface CallOptions {
  /** Aborted when the client disconnects or the gateway gives up. */
  signal: AbortSignal;
  requestId: string;
  /**
   * The exact JSON text of `body`, when the caller has it (the client's own bytes, unchanged).
   * An adapter that would send the body as is may send this instead of serializing it again.
   */
  bodyText?: string;
  /**
   * A cheaper alternative to `signal` where the host has a native disconnect event: called once
   * with the function that cancels this call. (An AbortSignal per request costs about a tenth of
   * a proxied request's CPU on node:http, so there the gateway passes a `signal` that never aborts
   * plus this.) Adapters doing I/O honour both.
   */
  onCancel?(cancel: () => void): void;
}

/**
 * A signal that never aborts, for hosts that cancel through `onCancel` instead. Adapters need not
 * listen to it (one shared signal with a listener per in-flight call would cost a list walk each).
 */
export const NEVER_ABORTED_SIGNAL: AbortSignal = new AbortController().signal;

/** A JSON object as sent on the wire. */
export type JsonObject = Record<string, unknown>;

export interface ChatResult {
  /** OpenAI `chat.completion` object. */
  body: JsonObject;
  usage: Usage | null;
  finishReason: FinishReason | null;
  rawFinishReason: string | null;
  /**
   * `body` as JSON text, when the adapter has it (an OpenAI-wire upstream's bytes): the gateway
   * sends it as is instead of serializing `body` again. Adapters may then parse `body` lazily.
   */
  raw?: string;
}

export interface EmbedResult {
  /** OpenAI embeddings `list` object. */
  body: JsonObject;
  usage: Usage | null;
  /** `body` as JSON text, when the adapter has it (see ChatResult.raw). */
  raw?: string;
}

export interface StreamResult {
  /**
   * OpenAI-format SSE bytes (`data: {chunk}\n\n` … `data: [DONE]\n\n`), passed on chunk by chunk.
   * The promise for it settles once the upstream accepted the call; an upstream failure after that
   * errors this stream with a ProviderError. Cancelling it aborts the upstream request.
   */
  body: ReadableStream<Uint8Array>;
}

export interface ModelListing {
  id: string;
  ownedBy?: string;
}

export interface ProviderAdapter {
  readonly type: string;
  chat(config: ProviderConfig, body: JsonObject, options: CallOptions): Promise<ChatResult>;
  chatStream(config: ProviderConfig, body: JsonObject, options: CallOptions): Promise<StreamResult>;
  embed(config: ProviderConfig, body: JsonObject, options: CallOptions): Promise<EmbedResult>;
  /** Legacy `/v1/completions`; absent when the upstream has no such endpoint. */
  completions?(config: ProviderConfig, body: JsonObject, options: CallOptions): Promise<ChatResult>;
  /** Legacy `/v1/completions` with `stream: true` (OpenAI `text_completion` SSE chunks). */
  completionsStream?(config: ProviderConfig, body: JsonObject, options: CallOptions): Promise<StreamResult>;
  listModels(config: ProviderConfig, options: CallOptions): Promise<ModelListing[]>;
}

/**
 * An upstream failure. `status` is the upstream's HTTP status (or 502/504 for transport
 * failures); `isRetryable` says whether another attempt (or another target) may succeed.
 */
export class ProviderError extends Error {
  override name = "ProviderError";
  readonly status: number;
  readonly isRetryable: boolean;
  readonly retryAfterMs: number | null;
  /** OpenAI-style `code`/`type`/`param` from the upstream body, when it had them. */
  readonly code: string | null;
  readonly type: string | null;
  readonly param: string | null;
  /** The upstream body (truncated) for logs; never sent to clients verbatim beyond `message`. */
  readonly raw: unknown;
  /** `timeout` and `connect` failures never reached a response. */
  readonly kind: "http" | "timeout" | "connect" | "protocol";

  constructor(init: {
    message: string;
    status: number;
    kind?: ProviderError["kind"];
    isRetryable?: boolean;
    retryAfterMs?: number | null;
    code?: string | null;
    type?: string | null;
    param?: string | null;
    raw?: unknown;
  }) {
    super(init.message);
    this.status = init.status;
    this.kind = init.kind ?? "http";
    this.isRetryable =
      init.isRetryable ??
      (this.kind !== "http" || [408, 409, 429].includes(init.status) || init.status >= 500);
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.code = init.code ?? null;
    this.type = init.type ?? null;
    this.param = init.param ?? null;
    this.raw = init.raw;
  }
}
