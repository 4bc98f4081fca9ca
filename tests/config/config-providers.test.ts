import { describe, expect, it, vi } from "vitest";
import { DEFAULT_TIMEOUTS } from "~/providers/types";
import type { ConfigProviderDefinition } from "~/server/config/config-schema";
import { InstanceProviderSet } from "~/server/providers/instance-providers";
import {
  providerSettingsFromEnv,
  withConfigProviders,
  type InstanceProviderSpec,
} from "~/server/providers/provider-settings";

/** How the config file's providers join the instance-wide ones from env and the built-in mock. */

const env = {
  NODE_ENV: "production" as const,
  OPENAI_API_KEY: "sk-env",
  OPENAI_BASE_URL: undefined,
  OPENAI_MODELS: "gpt-4o",
  SWITCHYARD_ENABLE_MOCK_PROVIDER: true,
  SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS: false,
  SWITCHYARD_MODEL_REFRESH_MS: 60_000,
  SWITCHYARD_UPSTREAM_CONNECT_TIMEOUT_MS: 2_000,
  SWITCHYARD_UPSTREAM_FIRST_BYTE_TIMEOUT_MS: undefined,
  SWITCHYARD_UPSTREAM_IDLE_TIMEOUT_MS: undefined,
  SWITCHYARD_UPSTREAM_TOTAL_TIMEOUT_MS: undefined,
};

const local: ConfigProviderDefinition = {
  id: "local",
  type: "openai-compatible",
  baseURL: "http://127.0.0.1:11434/v1",
  headers: { "x-team": "ml" },
  options: { apiVersion: "v1" },
  models: undefined,
  timeouts: { firstByteMs: 3_000 },
};

const openaiFromConfig: ConfigProviderDefinition = {
  id: "openai",
  type: "openai",
  baseURL: "https://proxy.example.com/v1",
  apiKey: "sk-config",
  headers: {},
  models: ["gpt-4.1"],
  timeouts: {},
};

const summary = (specs: InstanceProviderSpec[]) =>
  specs.map((s) => `${s.config.id}:${s.source}:${s.discover ? "discover" : "static"}`);

describe("withConfigProviders", () => {
  it("adds config providers after the env ones and before the built-in mock", () => {
    const specs = withConfigProviders(providerSettingsFromEnv(env), [local]);
    expect(summary(specs)).toEqual([
      "openai:env:static",
      "local:config:discover",
      "mock:built-in:discover",
    ]);
    expect(specs[1]!.config).toEqual({
      id: "local",
      type: "openai-compatible",
      baseURL: "http://127.0.0.1:11434/v1",
      headers: { "x-team": "ml" },
      options: { apiVersion: "v1" },
      // The instance timeouts (spec defaults, then env), then the provider's own.
      timeouts: { ...DEFAULT_TIMEOUTS, connectMs: 2_000, firstByteMs: 3_000 },
      models: [],
    });
  });

  it("keeps a private base URL even where org providers may not use one (operator-controlled)", () => {
    const settings = providerSettingsFromEnv(env);
    expect(settings.allowPrivateUpstreams).toBe(false);
    const specs = withConfigProviders(settings, [local]);
    expect(specs.find((s) => s.config.id === "local")!.config.baseURL).toBe(
      "http://127.0.0.1:11434/v1",
    );
  });

  it("a config provider with the env provider's id takes its place, and says so", () => {
    const onReplace = vi.fn();
    const specs = withConfigProviders(
      providerSettingsFromEnv(env),
      [local, openaiFromConfig],
      onReplace,
    );
    expect(onReplace).toHaveBeenCalledExactlyOnceWith("openai");
    expect(summary(specs)).toEqual([
      "openai:config:static",
      "local:config:discover",
      "mock:built-in:discover",
    ]);
    expect(specs[0]!.config).toMatchObject({
      baseURL: "https://proxy.example.com/v1",
      apiKey: "sk-config",
      models: ["gpt-4.1"],
    });
  });

  it("without a config file the instance providers are the env ones unchanged", () => {
    const settings = providerSettingsFromEnv(env);
    expect(withConfigProviders(settings, [])).toEqual(settings.instanceProviders);
  });
});

describe("InstanceProviderSet.replace (config reload)", () => {
  it("keeps the discovered list of an unchanged provider, drops removed ones, adds new ones", async () => {
    const discover = vi.fn(async (config: { id: string }) => [`${config.id}-model`]);
    const settings = providerSettingsFromEnv({ ...env, SWITCHYARD_ENABLE_MOCK_PROVIDER: false });
    const set = new InstanceProviderSet(withConfigProviders(settings, [local, openaiFromConfig]), {
      refreshMs: 60_000,
      discover,
    });
    expect((await set.list()).map((p) => [p.id, p.models])).toEqual([
      ["openai", ["gpt-4.1"]],
      ["local", ["local-model"]],
    ]);
    const version = set.version;

    const extra: ConfigProviderDefinition = { ...local, id: "extra" };
    set.replace(withConfigProviders(settings, [local, extra]));
    expect(set.version).toBeGreaterThan(version);
    // `local` is unchanged: its discovered list is there at once, without a new discovery.
    expect(set.peek().map((p) => [p.id, p.models])).toEqual([
      ["openai", ["gpt-4o"]], // the env provider is back
      ["local", ["local-model"]],
      ["extra", []],
    ]);
    expect(set.status().map((s) => [s.id, s.source])).toEqual([
      ["openai", "env"],
      ["local", "config"],
      ["extra", "config"],
    ]);
    expect((await set.list()).map((p) => [p.id, p.models])).toEqual([
      ["openai", ["gpt-4o"]],
      ["local", ["local-model"]],
      ["extra", ["extra-model"]],
    ]);
    expect(discover.mock.calls.map(([c]) => c.id)).toEqual(["local", "extra"]);
  });
});
