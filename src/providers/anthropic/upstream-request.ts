import type { UpstreamRequest } from "../http/upstream-call";
import type { CallOptions, ProviderConfig } from "../types";

/** Where and how the Messages API is called. */

export const DEFAULT_BASE_URL = "https://api.anthropic.com/v1";
export const ANTHROPIC_VERSION = "2023-06-01";

// Static per config (configs are cached by the provider directory): built once.
const staticHeaders = new WeakMap<ProviderConfig, Record<string, string>>();

/**
 * `x-api-key` and `anthropic-version`; the config's headers are merged over the defaults, so an
 * operator can add `anthropic-beta` or pin another version.
 */
function headersFor(config: ProviderConfig, requestId: string): Record<string, string> {
  let base = staticHeaders.get(config);
  if (!base) {
    base = {
      "content-type": "application/json",
      "user-agent": "switchyard",
      "anthropic-version": ANTHROPIC_VERSION,
      ...config.headers,
      ...(config.apiKey ? { "x-api-key": config.apiKey } : {}),
    };
    staticHeaders.set(config, base);
  }
  return { ...base, "x-request-id": requestId };
}

export function upstreamRequest(
  config: ProviderConfig,
  path: string,
  call: CallOptions,
  body?: unknown,
): UpstreamRequest {
  return {
    baseURL: config.baseURL || DEFAULT_BASE_URL,
    path,
    method: body === undefined ? "GET" : "POST",
    headers: headersFor(config, call.requestId),
    body: body === undefined ? undefined : JSON.stringify(body),
    timeouts: config.timeouts,
    signal: call.signal,
    onCancel: call.onCancel,
    secret: config.apiKey,
    publicAddressesOnly: config.publicAddressesOnly,
  };
}
