import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import { openAIAdapter } from "~/providers/openai";
import { openAICompatibleAdapter } from "~/providers/openai-compatible";
import { usageFromOpenAI } from "~/providers/openai/usage";
import { getProviderAdapter, PROVIDER_TYPES } from "~/providers/registry";
import { DEFAULT_TIMEOUTS, ProviderError, type ProviderConfig } from "~/providers/types";
import {
  openAIJson,
  readRequest,
  readResponse,
  readSse,
  startFixtureServer,
} from "./fixture-server";

// Replays the recorded OpenAI exchanges (tests/fixtures/openai) through the openai adapter.

const SECRET = "sk-fixture-upstream-secret-0123456789";
let server: Awaited<ReturnType<typeof startFixtureServer>>;
let config: ProviderConfig;

beforeAll(async () => {
  server = await startFixtureServer();
  config = {
    id: "openai",
    type: "openai",
    baseURL: server.baseURL,
    apiKey: SECRET,
    headers: { "openai-organization": "org-fixture" },
    timeouts: DEFAULT_TIMEOUTS,
    models: [],
  };
});
afterAll(async () => {
  await closeUpstreamPools();
  await server.close();
});

const call = (requestId = "req-fixture") => ({ signal: new AbortController().signal, requestId });

function lastReceived() {
  return server.received.at(-1)!;
}

describe("openai adapter: requests", () => {
  it("is registered, with openai-compatible and mock", () => {
    expect(PROVIDER_TYPES).toEqual(expect.arrayContaining(["openai", "openai-compatible", "mock"]));
    expect(getProviderAdapter("openai")).toBe(openAIAdapter);
  });

  it("sends the body unchanged with Bearer auth, the provider's headers and the request id", async () => {
    for (const name of ["chat-basic", "chat-tools", "chat-json-schema", "chat-n2", "chat-length"]) {
      const fixture = readRequest(name);
      server.serve(name);
      await openAIAdapter.chat(config, fixture.body, call(`req-${name}`));
      const got = lastReceived();
      expect(got.method).toBe("POST");
      expect(got.url).toBe(`/v1${fixture.path}`);
      expect(got.headers.authorization).toBe(`Bearer ${SECRET}`);
      expect(got.headers["content-type"]).toBe("application/json");
      expect(got.headers["openai-organization"]).toBe("org-fixture");
      expect(got.headers["x-request-id"]).toBe(`req-${name}`);
      expect(JSON.parse(got.body)).toEqual(fixture.body);
    }
  });

  it("sends the caller's exact bytes when it has them", async () => {
    server.serve("chat-basic");
    const text =
      '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"big":12345678901234567890}';
    await openAIAdapter.chat(config, JSON.parse(text), { ...call(), bodyText: text });
    expect(lastReceived().body).toBe(text);
  });

  it("openai-compatible sends no Authorization without a key", async () => {
    server.serve("chat-basic");
    await openAICompatibleAdapter.chat(
      { ...config, type: "openai-compatible", apiKey: undefined, headers: {} },
      readRequest("chat-basic").body,
      call(),
    );
    expect(lastReceived().headers.authorization).toBeUndefined();
  });
});

describe("openai adapter: answers", () => {
  it("returns chat answers as sent, with unified usage and finish reason", async () => {
    for (const [name, finish] of [
      ["chat-basic", "stop"],
      ["chat-tools", "tool_calls"],
      ["chat-json-schema", "stop"],
      ["chat-n2", "stop"],
      ["chat-length", "length"],
    ] as const) {
      server.serve(name);
      const fixture = readResponse(name);
      const result = await openAIAdapter.chat(config, readRequest(name).body, call());
      expect(result.raw).toBe(openAIJson(fixture.body));
      expect(result.body).toEqual(fixture.body);
      expect(result.usage).toEqual(usageFromOpenAI((fixture.body as { usage: unknown }).usage));
      expect(result.finishReason).toBe(finish);
      expect(result.rawFinishReason).toBe(finish);
    }
  });

  it("reads cached and reasoning tokens", async () => {
    server.serve("chat-cached-reasoning");
    const result = await openAIAdapter.chat(
      config,
      readRequest("chat-cached-reasoning").body,
      call(),
    );
    expect(result.usage).toEqual({
      promptTokens: 1310,
      completionTokens: 212,
      totalTokens: 1522,
      cachedReadTokens: 1024,
      reasoningTokens: 192,
    });
  });

  it("passes stream transcripts through byte for byte", async () => {
    for (const name of ["chat-stream", "chat-stream-tools"]) {
      server.serve(name, "sse");
      const { body } = await openAIAdapter.chatStream(config, readRequest(name).body, call());
      expect(await new Response(body).text()).toBe(readSse(name));
    }
  });

  it("returns embeddings (float and base64) as sent, with usage", async () => {
    for (const name of ["embeddings-float", "embeddings-base64"]) {
      server.serve(name);
      const fixture = readResponse(name);
      const result = await openAIAdapter.embed(config, readRequest(name).body, call());
      expect(lastReceived().url).toBe("/v1/embeddings");
      expect(result.raw).toBe(openAIJson(fixture.body));
      expect(result.usage).toEqual(usageFromOpenAI((fixture.body as { usage: unknown }).usage));
      expect(result.body).toEqual(fixture.body);
    }
  });

  it("lists models", async () => {
    server.set((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        openAIJson({
          object: "list",
          data: [{ id: "gpt-4o", object: "model", created: 1, owned_by: "system" }, { id: "x" }],
        }),
      );
    });
    expect(await openAIAdapter.listModels(config, call())).toEqual([
      { id: "gpt-4o", ownedBy: "system" },
      { id: "x" },
    ]);
    expect(lastReceived()).toMatchObject({ method: "GET", url: "/v1/models" });
  });
});

describe("openai adapter: errors", () => {
  async function failure(name: string): Promise<ProviderError> {
    server.serve(name);
    const err = await openAIAdapter
      .chat(config, readRequest(name).body, call())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    return err as ProviderError;
  }

  it("keeps status, message, param and code of an OpenAI error", async () => {
    const err = await failure("error-400-param");
    expect(err).toMatchObject({
      status: 400,
      kind: "http",
      param: "messages",
      code: "empty_array",
      isRetryable: false,
    });
    expect(err.message).toMatch(/empty array/);
    expect((await failure("error-404-model")).code).toBe("model_not_found");
  });

  it("reads Retry-After on 429 and marks 429/5xx retryable", async () => {
    const limited = await failure("error-429");
    expect(limited).toMatchObject({
      status: 429,
      retryAfterMs: 1000,
      isRetryable: true,
      code: "rate_limit_exceeded",
    });
    expect(await failure("error-500")).toMatchObject({ status: 500, isRetryable: true });
  });

  it("never keeps the upstream key, even when the upstream echoes it", async () => {
    const err = await failure("error-401-echoed-key");
    expect(err.status).toBe(401);
    expect(err.message).not.toContain(SECRET);
    expect(err.message).toContain("***");
    expect(JSON.stringify(err.raw)).not.toContain(SECRET);
  });

  it("turns a non-JSON error page into a short message", async () => {
    const err = await failure("error-502-html");
    expect(err.status).toBe(502);
    expect(err.message).toContain("502 Bad Gateway");
    expect(err.message.length).toBeLessThanOrEqual(300);
  });
});
