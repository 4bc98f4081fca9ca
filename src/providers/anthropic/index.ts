import { requestUpstream, streamUpstream } from "../http/upstream-call";
import { ProviderError, type ProviderAdapter } from "../types";
import { fromUpstreamFailure } from "./errors";
import { listModels } from "./list-models";
import { translateRequest } from "./request";
import { translateResponse } from "./response";
import { translateStream } from "./stream";
import { upstreamRequest } from "./upstream-request";

/**
 * Anthropic's Messages API (`POST {base}/messages`), translated to and from OpenAI's chat wire
 * format: request.ts (+ messages, content parts, tools), response.ts, stream.ts (+ the SSE parser
 * and the event translator), errors.ts. No embeddings and no legacy completions: Anthropic has
 * neither.
 */
export const anthropicAdapter: ProviderAdapter = {
  type: "anthropic",

  async chat(config, body, call) {
    const request = translateRequest(body, false);
    let text: string;
    try {
      text = (await requestUpstream(upstreamRequest(config, "/messages", call, request.body))).text;
    } catch (err) {
      throw fromUpstreamFailure(err);
    }
    return translateResponse(text, request.jsonTool);
  },

  async chatStream(config, body, call) {
    const request = translateRequest(body, true);
    let upstream: ReadableStream<Uint8Array>;
    try {
      upstream = await streamUpstream(upstreamRequest(config, "/messages", call, request.body));
    } catch (err) {
      throw fromUpstreamFailure(err);
    }
    return {
      body: await translateStream(upstream, {
        jsonTool: request.jsonTool,
        includeUsage: request.includeUsage,
      }),
    };
  },

  async embed() {
    throw new ProviderError({
      message:
        "Anthropic has no embeddings API: route embedding models to a provider that offers them.",
      status: 400,
      kind: "http",
      isRetryable: false,
      code: "unsupported_endpoint",
      type: "invalid_request_error",
    });
  },

  listModels,
};
