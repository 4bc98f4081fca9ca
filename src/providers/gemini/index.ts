import { requestUpstream, streamUpstream } from "../http/upstream-call";
import type { ChatResult, JsonObject, ProviderAdapter, StreamResult } from "../types";
import { embed } from "./embeddings";
import { withGeminiErrors } from "./errors";
import { isObject, parseUpstreamObject } from "./json";
import { listModels } from "./models";
import { toGenerateContentRequest } from "./request";
import { chatResultFromGemini } from "./response";
import { translateStream } from "./stream";
import { modelOf, modelPath, upstreamRequest } from "./upstream";

/**
 * Google's Gemini API (generativelanguage.googleapis.com, v1beta) behind the OpenAI wire format:
 * chat via `generateContent`, streams via `streamGenerateContent?alt=sse`, embeddings via
 * `batchEmbedContents`, model discovery via `models.list`. The key goes in `x-goog-api-key`.
 * Each translation lives in its own file: request.ts (and messages, tools, generation-config,
 * schema), response.ts, stream.ts, embeddings.ts, errors.ts, models.ts.
 */
export const geminiAdapter: ProviderAdapter = {
  type: "gemini",

  async chat(config, body, call): Promise<ChatResult> {
    const model = modelOf(body);
    const request = toGenerateContentRequest(body, model);
    const reply = await withGeminiErrors(() =>
      requestUpstream(upstreamRequest(config, modelPath(model, "generateContent"), call, request)),
    );
    return chatResultFromGemini(parseUpstreamObject(reply.text), model);
  },

  async chatStream(config, body, call): Promise<StreamResult> {
    const model = modelOf(body);
    const request = toGenerateContentRequest(body, model);
    const upstream = await withGeminiErrors(() =>
      streamUpstream(
        upstreamRequest(
          config,
          `${modelPath(model, "streamGenerateContent")}?alt=sse`,
          call,
          request,
        ),
      ),
    );
    const options: JsonObject = isObject(body.stream_options) ? body.stream_options : {};
    return {
      body: translateStream(upstream, {
        requestedModel: model,
        includeUsage: options.include_usage === true,
        secret: config.apiKey,
      }),
    };
  },

  embed,
  listModels,
};
