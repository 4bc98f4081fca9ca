import { requestUpstream, streamUpstream, type UpstreamRequest } from "../http/upstream-call";
import {
  ProviderError,
  type CallOptions,
  type ChatResult,
  type EmbedResult,
  type JsonObject,
  type ModelListing,
  type ProviderAdapter,
  type ProviderConfig,
  type StreamResult,
} from "../types";
import { scanFinishReason, scanUsage, unifyFinishReason, usageFromOpenAI } from "./usage";

/**
 * An adapter for an upstream that speaks OpenAI's wire format itself: the request body goes out
 * as the client sent it (the gateway has already set the upstream model name and asked for
 * stream usage), answers and SSE bytes come back untouched. Upstreams differ only in base URL,
 * credentials and headers, which `auth` supplies.
 */
export interface OpenAIWireOptions {
  type: string;
  /** Used when the provider config has no base URL. */
  defaultBaseURL?: string;
  /** Headers carrying the credential (none for keyless local servers). */
  auth(config: ProviderConfig): Record<string, string>;
  /**
   * Where a call goes, as the path (and query) after the base URL's own path. Without it, the
   * OpenAI path itself (`/chat/completions`). Upstreams that address a model in the URL (Azure's
   * deployments) or want query parameters build it here; `body` is absent for GETs.
   */
  url?(config: ProviderConfig, path: OpenAIPath, body: JsonObject | undefined): string;
}

/** The OpenAI endpoints an OpenAI-wire adapter calls (relative to an OpenAI-style `/v1` base). */
export type OpenAIPath = "/chat/completions" | "/completions" | "/embeddings" | "/models";

function parseObject(text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProviderError({
      message: "the upstream answered with a body that is not JSON",
      status: 502,
      kind: "protocol",
    });
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new ProviderError({
      message: "the upstream answered with JSON that is not an object",
      status: 502,
      kind: "protocol",
    });
  }
  return value as JsonObject;
}

/** An OpenAI `list` of models (`{data: [{id, owned_by}]}`) as listings; entries without an id are skipped. */
export function parseModelList(text: string): ModelListing[] {
  const data = parseObject(text).data;
  if (!Array.isArray(data)) return [];
  return data.flatMap((m: unknown) => {
    const entry = m as { id?: unknown; owned_by?: unknown } | null;
    if (!entry || typeof entry.id !== "string") return [];
    return [
      {
        id: entry.id,
        ...(typeof entry.owned_by === "string" ? { ownedBy: entry.owned_by } : {}),
      },
    ];
  });
}

/** A result whose `body` is parsed only if someone reads it: the gateway sends `raw` as is. */
function jsonResult(text: string): { body: JsonObject; raw: string; usage: ChatResult["usage"] } {
  let parsed: JsonObject | undefined;
  let usage = scanUsage(text);
  if (usage === undefined) {
    // No usage object found by scanning: parse (which also validates the answer).
    parsed = parseObject(text);
    usage = usageFromOpenAI(parsed.usage);
  }
  return {
    get body() {
      return (parsed ??= parseObject(text));
    },
    raw: text,
    usage,
  };
}

function chatResult(text: string): ChatResult {
  const result = jsonResult(text) as ChatResult;
  result.rawFinishReason = scanFinishReason(text);
  result.finishReason = unifyFinishReason(result.rawFinishReason);
  return result;
}

export function createOpenAIWireAdapter(options: OpenAIWireOptions): ProviderAdapter {
  // Static per config (configs are cached by the provider directory): built once.
  const staticHeaders = new WeakMap<ProviderConfig, Record<string, string>>();

  const baseURL = (config: ProviderConfig): string => {
    const url = config.baseURL || options.defaultBaseURL;
    if (!url) {
      throw new ProviderError({
        message: `the provider '${config.id}' has no base URL`,
        status: 502,
        kind: "connect",
        isRetryable: false,
      });
    }
    return url;
  };

  const headersFor = (config: ProviderConfig, requestId: string): Record<string, string> => {
    let base = staticHeaders.get(config);
    if (!base) {
      base = {
        "content-type": "application/json",
        "user-agent": "switchyard",
        ...config.headers,
        ...options.auth(config),
      };
      staticHeaders.set(config, base);
    }
    return { ...base, "x-request-id": requestId };
  };

  const url = options.url;
  const request = (
    config: ProviderConfig,
    path: OpenAIPath,
    call: CallOptions,
    body?: JsonObject,
  ): UpstreamRequest => ({
    baseURL: baseURL(config),
    path: url ? url(config, path, body) : path,
    method: body ? "POST" : "GET",
    headers: headersFor(config, call.requestId),
    body: body ? (call.bodyText ?? JSON.stringify(body)) : undefined,
    timeouts: config.timeouts,
    signal: call.signal,
    onCancel: call.onCancel,
    secret: config.apiKey,
    publicAddressesOnly: config.publicAddressesOnly,
  });

  const stream = async (
    config: ProviderConfig,
    path: OpenAIPath,
    body: JsonObject,
    call: CallOptions,
  ): Promise<StreamResult> => ({
    body: await streamUpstream(request(config, path, call, body)),
  });

  return {
    type: options.type,
    async chat(config, body, call) {
      return chatResult(
        (await requestUpstream(request(config, "/chat/completions", call, body))).text,
      );
    },
    chatStream: (config, body, call) => stream(config, "/chat/completions", body, call),
    async embed(config, body, call): Promise<EmbedResult> {
      return jsonResult((await requestUpstream(request(config, "/embeddings", call, body))).text);
    },
    async completions(config, body, call) {
      return chatResult((await requestUpstream(request(config, "/completions", call, body))).text);
    },
    completionsStream: (config, body, call) => stream(config, "/completions", body, call),
    async listModels(config, call): Promise<ModelListing[]> {
      const reply = await requestUpstream(request(config, "/models", call));
      return parseModelList(reply.text);
    },
  };
}
