import { describe, expect, it, vi } from "vitest";
import { parseEnv } from "~/env";
import { DEFAULT_TIMEOUTS, type ProviderConfig } from "~/providers/types";
import { InstanceProviderSet } from "~/server/providers/instance-providers";
import {
  providerSettingsFromEnv,
  type InstanceProviderSpec,
} from "~/server/providers/provider-settings";

const BASE = {
  AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789abcdef",
  SWITCHYARD_ENCRYPTION_KEY: "dGVzdC1lbmNyeXB0aW9uLWtleS0wMTIzNDU2Nzg5YWJjZGVm",
  SWITCHYARD_DATA_DIR: "tests/output/data",
};
const settingsFor = (vars: Record<string, string>) =>
  providerSettingsFromEnv(parseEnv({ ...BASE, ...vars }));

describe("instance providers from env", () => {
  it("no OPENAI_API_KEY: no openai provider; the mock one is on outside production only", () => {
    expect(
      settingsFor({ NODE_ENV: "development" }).instanceProviders.map((p) => p.config.id),
    ).toEqual(["mock"]);
    expect(settingsFor({ NODE_ENV: "test" }).instanceProviders.map((p) => p.config.id)).toEqual([
      "mock",
    ]);
    expect(settingsFor({ NODE_ENV: "production" }).instanceProviders).toEqual([]);
    expect(
      settingsFor({
        NODE_ENV: "production",
        SWITCHYARD_ENABLE_MOCK_PROVIDER: "1",
      }).instanceProviders.map((p) => p.config.id),
    ).toEqual(["mock"]);
    expect(
      settingsFor({ NODE_ENV: "development", SWITCHYARD_ENABLE_MOCK_PROVIDER: "0" })
        .instanceProviders,
    ).toEqual([]);
  });

  it("the mock provider is type mock with mock-gpt and mock-embed", () => {
    const mock = settingsFor({ NODE_ENV: "development" }).instanceProviders[0]!;
    expect(mock.config.type).toBe("mock");
    expect(mock.config.models).toEqual(expect.arrayContaining(["mock-gpt", "mock-embed"]));
    expect(mock.source).toBe("built-in");
  });

  it("OPENAI_API_KEY alone: provider openai of type openai at api.openai.com, models discovered", () => {
    const [openai] = settingsFor({
      NODE_ENV: "production",
      OPENAI_API_KEY: "sk-instance",
    }).instanceProviders;
    expect(openai!.config).toMatchObject({
      id: "openai",
      type: "openai",
      baseURL: "https://api.openai.com/v1",
      apiKey: "sk-instance",
      models: [],
    });
    expect(openai!.discover).toBe(true);
  });

  it("another base URL makes it openai-compatible; OPENAI_MODELS fixes the list (no discovery)", () => {
    const [openai] = settingsFor({
      NODE_ENV: "production",
      OPENAI_API_KEY: "sk-x",
      OPENAI_BASE_URL: "http://127.0.0.1:11434/v1/",
      OPENAI_MODELS: "llama3.2, qwen2.5 ,llama3.2,",
    }).instanceProviders;
    expect(openai!.config.type).toBe("openai-compatible");
    expect(openai!.config.baseURL).toBe("http://127.0.0.1:11434/v1");
    expect(openai!.config.models).toEqual(["llama3.2", "qwen2.5"]);
    expect(openai!.discover).toBe(false);
    expect(() => settingsFor({ OPENAI_API_KEY: "k", OPENAI_BASE_URL: "ftp://x" })).toThrow(
      /OPENAI_BASE_URL/,
    );
  });

  it("private upstreams: allowed outside production unless refused, refused in production unless allowed", () => {
    expect(settingsFor({ NODE_ENV: "development" }).allowPrivateUpstreams).toBe(true);
    expect(settingsFor({ NODE_ENV: "production" }).allowPrivateUpstreams).toBe(false);
    expect(
      settingsFor({ NODE_ENV: "production", SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS: "1" })
        .allowPrivateUpstreams,
    ).toBe(true);
    expect(
      settingsFor({ NODE_ENV: "development", SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS: "false" })
        .allowPrivateUpstreams,
    ).toBe(false);
  });

  it("env timeouts override the spec defaults, field by field", () => {
    const s = settingsFor({
      SWITCHYARD_UPSTREAM_CONNECT_TIMEOUT_MS: "2500",
      SWITCHYARD_UPSTREAM_TOTAL_TIMEOUT_MS: "90000",
    });
    expect(s.timeouts).toEqual({ ...DEFAULT_TIMEOUTS, connectMs: 2500, totalMs: 90_000 });
    expect(s.instanceProviders[0]!.config.timeouts).toEqual(s.timeouts);
    expect(() => settingsFor({ SWITCHYARD_UPSTREAM_IDLE_TIMEOUT_MS: "5" })).toThrow(/IDLE/);
  });
});

function spec(models: string[] = [], discover = true): InstanceProviderSpec {
  return {
    config: {
      id: "openai",
      type: "openai",
      baseURL: "https://api.openai.com/v1",
      apiKey: "k",
      timeouts: DEFAULT_TIMEOUTS,
      models,
    },
    discover,
    source: "env",
  };
}

describe("instance model discovery", () => {
  it("discovers lazily on first use, once, and caches", async () => {
    const discover = vi.fn(async () => ["gpt-4o", "gpt-4o-mini", "gpt-4o"]);
    const set = new InstanceProviderSet([spec()], { refreshMs: 60_000, discover });
    expect(discover).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([set.list(), set.list()]);
    expect(a[0]!.models).toEqual(["gpt-4o", "gpt-4o-mini"]);
    expect(b).toBe(a);
    await set.list();
    expect(discover).toHaveBeenCalledTimes(1);
    expect(set.status()[0]).toMatchObject({ status: "ok", lastError: null });
  });

  it("refreshes after the period in the background, and a failure keeps the last list (logged)", async () => {
    let now = 1_000_000;
    let answer: () => Promise<string[]> = async () => ["m1", "m2"];
    const discover = vi.fn(() => answer());
    const warn = vi.spyOn(console, "error").mockImplementation(() => {});
    const set = new InstanceProviderSet([spec()], {
      refreshMs: 60_000,
      retryMs: 5_000,
      discover,
      now: () => now,
    });
    expect((await set.list())[0]!.models).toEqual(["m1", "m2"]);
    const v1 = set.version;

    now += 30_000; // not due yet
    await set.list();
    expect(discover).toHaveBeenCalledTimes(1);

    now += 31_000; // due: the caller gets the current list at once, the refresh runs behind it
    answer = async () => ["m1", "m2", "m3"];
    const stale = await set.list();
    expect(stale[0]!.models).toEqual(["m1", "m2"]);
    await vi.waitFor(() => expect(set.peek()[0]!.models).toEqual(["m1", "m2", "m3"]));
    expect(set.version).toBeGreaterThan(v1);

    now += 61_000;
    answer = async () => {
      throw new Error("HTTP 503 upstream down");
    };
    await set.list();
    await vi.waitFor(() => expect(set.status()[0]!.lastError).toContain("503"));
    expect(set.peek()[0]!.models).toEqual(["m1", "m2", "m3"]);
    expect(warn.mock.calls.some((c) => String(c[0]).includes("model discovery failed"))).toBe(true);

    // The retry waits for retryMs, not for the whole refresh period.
    const calls = discover.mock.calls.length;
    now += 1_000;
    await set.list();
    expect(discover.mock.calls.length).toBe(calls);
    now += 5_000;
    answer = async () => ["m4"];
    await set.list();
    await vi.waitFor(() => expect(set.peek()[0]!.models).toEqual(["m4"]));
    warn.mockRestore();
  });

  it("a first discovery that hangs does not hold callers longer than firstWaitMs", async () => {
    const set = new InstanceProviderSet([spec(["seed-model"])], {
      refreshMs: 60_000,
      firstWaitMs: 50,
      discover: () => new Promise<string[]>(() => {}),
    });
    const started = Date.now();
    const list = await set.list();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(list[0]!.models).toEqual(["seed-model"]);
    expect(set.status()[0]!.status).toBe("pending");
  });

  it("configured lists are never discovered; an empty answer counts as a failure", async () => {
    const discover = vi.fn(async () => [] as string[]);
    const fixed = new InstanceProviderSet([spec(["a", "b"], false)], {
      refreshMs: 60_000,
      discover,
    });
    expect((await fixed.list())[0]!.models).toEqual(["a", "b"]);
    expect(discover).not.toHaveBeenCalled();

    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const empty = new InstanceProviderSet([spec(["seed"])], { refreshMs: 60_000, discover });
    expect((await empty.list())[0]!.models).toEqual(["seed"]);
    expect(empty.status()[0]).toMatchObject({
      status: "failed",
      lastError: "the upstream listed no models",
    });
    error.mockRestore();
  });

  it("the built-in mock provider discovers its models through the real mock adapter", async () => {
    const settings = settingsFor({ NODE_ENV: "development" });
    const set = new InstanceProviderSet(settings.instanceProviders, { refreshMs: 60_000 });
    const [mock] = (await set.list()) as ProviderConfig[];
    expect(mock!.models).toEqual(expect.arrayContaining(["mock-gpt", "mock-embed"]));
    expect(set.status()[0]!.status).toBe("ok");
  });
});
