import type { UpstreamRequest } from "../http/upstream-call";
import type { CallOptions, JsonObject, ProviderConfig } from "../types";
import { invalidRequest } from "./json";

/**
 * Where and how Gemini is called: `{base}/models/{model}:{method}`, the key in the
 * `x-goog-api-key` header (never in the URL, so it cannot leak through logged URLs or error
 * messages). Query strings (`?alt=sse`, `?pageToken=`) ride in the request path.
 */

export const DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com/v1beta";

/** The upstream model name of a request body (the gateway has already set it). */
export function modelOf(body: JsonObject): string {
  if (typeof body.model !== "string" || body.model.trim() === "") {
    throw invalidRequest("`model` is required.", "model");
  }
  return body.model.trim();
}

/**
 * `/models/gemini-2.5-flash:generateContent`. A name may come with its resource prefix
 * (`models/x`, or `tunedModels/x` for a tuned model, which lives under its own collection).
 */
export function modelPath(model: string, method: string): string {
  const tuned = /^tunedModels\/(.+)$/.exec(model);
  if (tuned) return `/tunedModels/${encodeURIComponent(tuned[1]!)}:${method}`;
  return `/models/${encodeURIComponent(model.replace(/^models\//, ""))}:${method}`;
}

const staticHeaders = new WeakMap<ProviderConfig, Record<string, string>>();

function headersFor(config: ProviderConfig, requestId: string): Record<string, string> {
  let base = staticHeaders.get(config);
  if (!base) {
    base = {
      "content-type": "application/json",
      "user-agent": "switchyard",
      ...config.headers,
      ...(config.apiKey ? { "x-goog-api-key": config.apiKey } : {}),
    };
    staticHeaders.set(config, base);
  }
  return { ...base, "x-request-id": requestId };
}

export function upstreamRequest(
  config: ProviderConfig,
  path: string,
  call: CallOptions,
  body?: JsonObject,
): UpstreamRequest {
  return {
    baseURL: config.baseURL || DEFAULT_BASE_URL,
    path,
    method: body ? "POST" : "GET",
    headers: headersFor(config, call.requestId),
    body: body ? JSON.stringify(body) : undefined,
    timeouts: config.timeouts,
    signal: call.signal,
    onCancel: call.onCancel,
    secret: config.apiKey,
    publicAddressesOnly: config.publicAddressesOnly,
  };
}
