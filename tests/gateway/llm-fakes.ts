import { createProviderModelCatalog } from "~/gateway";
import type { GatewayPorts } from "~/gateway/ports";
import { getProviderAdapter } from "~/providers/registry";
import {
  DEFAULT_TIMEOUTS,
  type CallOptions,
  type JsonObject,
  type ProviderAdapter,
  type ProviderConfig,
} from "~/providers/types";
import { memoryGateway } from "./fakes";

/** A provider config for tests. */
export function provider(
  id: string,
  models: string[],
  type = "mock",
  extra: Partial<ProviderConfig> = {},
): ProviderConfig {
  return { id, type, baseURL: "mock://test", timeouts: DEFAULT_TIMEOUTS, models, ...extra };
}

export interface SeenCall {
  method: string;
  config: ProviderConfig;
  body: JsonObject;
  options: CallOptions;
}

/**
 * The mock adapter wrapped so tests can see what reached the provider (and swap methods out).
 * Registered as type `mock`; `spy` (same behaviour, no completions) as type `spy-nocompletions`.
 */
export function spyAdapters(overrides: Partial<ProviderAdapter> = {}) {
  const mock = getProviderAdapter("mock")!;
  const seen: SeenCall[] = [];
  const wrap = <K extends "chat" | "chatStream" | "embed" | "completions" | "completionsStream">(
    name: K,
  ) =>
    (async (config: ProviderConfig, body: JsonObject, options: CallOptions) => {
      seen.push({ method: name, config, body, options });
      const impl = (overrides[name] ?? mock[name]) as (...args: unknown[]) => Promise<unknown>;
      return impl.call(mock, config, body, options);
    }) as NonNullable<ProviderAdapter[K]>;
  const adapter: ProviderAdapter = {
    type: "mock",
    chat: wrap("chat"),
    chatStream: wrap("chatStream"),
    embed: wrap("embed"),
    completions: wrap("completions"),
    completionsStream: overrides.completionsStream ? wrap("completionsStream") : undefined,
    listModels: mock.listModels,
  };
  const noCompletions: ProviderAdapter = {
    ...adapter,
    type: "spy-nocompletions",
    completions: undefined,
    completionsStream: undefined,
  };
  const registry = new Map<string, ProviderAdapter>([
    ["mock", adapter],
    ["spy-nocompletions", noCompletions],
  ]);
  return { seen, registry };
}

/** An in-memory gateway whose org `org_a` reaches the given providers; `/v1/models` lists them. */
export function llmGateway(providers: ProviderConfig[], overrides: Partial<GatewayPorts> = {}) {
  const spies = spyAdapters();
  const directory = { listForOrg: (orgId: string) => ref.providers.get(orgId) ?? [] };
  const ref = memoryGateway({
    adapters: spies.registry,
    models: createProviderModelCatalog(directory),
    ...overrides,
  });
  ref.providers.set("org_a", providers);
  const { secret } = ref.addKey({ orgId: "org_a" });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    ref.call(path, {
      method: "POST",
      headers: {
        authorization: `Bearer ${secret}`,
        "content-type": "application/json",
        ...headers,
      },
      body:
        typeof body === "string" || body instanceof Uint8Array
          ? (body as BodyInit)
          : JSON.stringify(body),
    });
  return { ...ref, ...spies, secret, post };
}

/** The SSE `data:` payloads of a stream body. */
export function sseData(text: string): string[] {
  return text
    .split("\n\n")
    .filter((e) => e.startsWith("data: "))
    .map((e) => e.slice("data: ".length));
}
