import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SseRelayState } from "~/gateway/streaming/sse-relay";
import { azureOpenAIAdapter } from "~/providers/azure-openai";
import { AZURE_DEFAULT_API_VERSION } from "~/providers/azure-openai/azure-urls";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import { usageFromOpenAI } from "~/providers/openai/usage";
import {
  DEFAULT_TIMEOUTS,
  ProviderError,
  type JsonObject,
  type ProviderConfig,
} from "~/providers/types";
import { fixtureReader, openAIJson, startFixtureServer } from "./fixture-server";

// Replays Azure OpenAI's documented exchanges (tests/fixtures/azure-openai) through the adapter.

const azure = fixtureReader("azure-openai");
const SECRET = "0123456789abcdef0123456789abcdef";
let server: Awaited<ReturnType<typeof startFixtureServer>>;
/** The resource endpoint, as the console stores it (`https://<resource>.openai.azure.com`). */
let resource: string;

beforeAll(async () => {
  server = await startFixtureServer();
  resource = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await closeUpstreamPools();
  await server.close();
});

/** A fresh config per test (the adapter caches addressing per config object, as in production). */
function configFor(overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    id: "azure",
    type: "azure-openai",
    baseURL: resource,
    apiKey: SECRET,
    headers: { "x-ms-useragent": "switchyard-tests" },
    timeouts: DEFAULT_TIMEOUTS,
    models: [],
    ...overrides,
  };
}

const call = (requestId = "req-azure") => ({ signal: new AbortController().signal, requestId });
const lastReceived = () => server.received.at(-1)!;
const since = (n: number) => server.received.slice(n);

function reply(res: ServerResponse, name: string): void {
  const fixture = azure.readResponse(name);
  res.writeHead(fixture.status, fixture.headers);
  res.end(fixture.text ?? openAIJson(fixture.body));
}

/** Answers each request path with a fixture (404 `Resource not found` for other paths). */
function route(routes: Record<string, string>): void {
  server.set((req, res) => reply(res, routes[req.url] ?? "error-404-resource"));
}

async function failureOf(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe("azure-openai adapter: addressing", () => {
  it("calls the deployment named by the model, with the default api-version and the api-key header", async () => {
    const fixture = azure.readRequest("chat-basic");
    server.serve("chat-basic", "json", azure);
    await azureOpenAIAdapter.chat(configFor(), fixture.body, call("req-basic"));
    const got = lastReceived();
    expect(got.method).toBe("POST");
    expect(got.url).toBe(fixture.path);
    expect(got.url).toContain(`api-version=${AZURE_DEFAULT_API_VERSION}`);
    expect(got.headers["api-key"]).toBe(SECRET);
    expect(got.headers.authorization).toBeUndefined();
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["x-ms-useragent"]).toBe("switchyard-tests");
    expect(got.headers["x-request-id"]).toBe("req-basic");
    expect(JSON.parse(got.body)).toEqual(fixture.body);
  });

  it("uses the configured api-version, and understands base URLs ending in /openai", async () => {
    server.serve("chat-basic", "json", azure);
    const body = { ...azure.readRequest("chat-basic").body, model: "gpt-4o.eu_1" };
    for (const baseURL of [resource, `${resource}/`, `${resource}/openai`, `${resource}/openai/`]) {
      await azureOpenAIAdapter.chat(
        configFor({ baseURL, options: { apiVersion: "2025-04-01-preview" } }),
        body,
        call(),
      );
      expect(lastReceived().url).toBe(
        "/openai/deployments/gpt-4o.eu_1/chat/completions?api-version=2025-04-01-preview",
      );
    }
  });

  it("encodes the deployment name into the path", async () => {
    server.serve("chat-basic", "json", azure);
    await azureOpenAIAdapter.chat(configFor(), { model: "team/gpt?x", messages: [] }, call());
    expect(lastReceived().url).toBe(
      `/openai/deployments/team%2Fgpt%3Fx/chat/completions?api-version=${AZURE_DEFAULT_API_VERSION}`,
    );
  });

  it("speaks the v1 API when apiVersion is v1 or the base URL ends in /openai/v1", async () => {
    const fixture = azure.readRequest("chat-v1");
    server.serve("chat-basic", "json", azure);
    for (const config of [
      configFor({ options: { apiVersion: "v1" } }),
      configFor({ baseURL: `${resource}/openai/v1` }),
      // The URL wins over a dated version.
      configFor({ baseURL: `${resource}/openai/v1/`, options: { apiVersion: "2024-10-21" } }),
      configFor({ baseURL: `${resource}/openai`, options: { apiVersion: "v1" } }),
    ]) {
      await azureOpenAIAdapter.chat(config, fixture.body, call());
      const got = lastReceived();
      expect(got.url).toBe(fixture.path);
      expect(got.headers["api-key"]).toBe(SECRET);
      expect(JSON.parse(got.body)).toEqual(fixture.body);
    }
  });

  it("sends the caller's exact bytes when it has them", async () => {
    server.serve("chat-basic", "json", azure);
    const text = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"n":1}';
    await azureOpenAIAdapter.chat(configFor(), JSON.parse(text) as JsonObject, {
      ...call(),
      bodyText: text,
    });
    expect(lastReceived().body).toBe(text);
  });

  it("refuses a request without a deployment before calling anyone", async () => {
    const before = server.received.length;
    const err = await failureOf(azureOpenAIAdapter.chat(configFor(), { messages: [] }, call()));
    expect(err).toMatchObject({ status: 400, isRetryable: false, param: "model" });
    expect(server.received.length).toBe(before);
  });
});

describe("azure-openai adapter: answers", () => {
  it("returns a chat answer as sent (Azure's filter results included), with usage and finish reason", async () => {
    server.serve("chat-basic", "json", azure);
    const fixture = azure.readResponse("chat-basic");
    const result = await azureOpenAIAdapter.chat(
      configFor(),
      azure.readRequest("chat-basic").body,
      call(),
    );
    expect(result.raw).toBe(openAIJson(fixture.body));
    expect(result.body).toEqual(fixture.body);
    expect(result.body).toHaveProperty("prompt_filter_results");
    expect(result.usage).toEqual({ promptTokens: 11, completionTokens: 9, totalTokens: 20 });
    expect(result.finishReason).toBe("stop");
  });

  it("passes a completion stopped by the output filter through (200, finish_reason content_filter)", async () => {
    server.serve("chat-filtered-output", "json", azure);
    const fixture = azure.readResponse("chat-filtered-output");
    const result = await azureOpenAIAdapter.chat(
      configFor(),
      azure.readRequest("chat-filtered-output").body,
      call(),
    );
    expect(result.raw).toBe(openAIJson(fixture.body));
    expect(result.finishReason).toBe("content_filter");
    expect(result.rawFinishReason).toBe("content_filter");
    expect(result.usage).toEqual({ promptTokens: 15, completionTokens: 48, totalTokens: 63 });
  });

  it("passes stream transcripts (text and tool calls) through byte for byte", async () => {
    for (const name of ["chat-stream", "chat-stream-tools"]) {
      server.serve(name, "sse", azure);
      const fixture = azure.readRequest(name);
      const { body } = await azureOpenAIAdapter.chatStream(configFor(), fixture.body, call());
      expect(await new Response(body).text()).toBe(azure.readSse(name));
      expect(lastReceived().url).toBe(fixture.path);
      expect(lastReceived().headers["api-key"]).toBe(SECRET);
    }
  });

  it("keeps Azure's prompt-filter event through the gateway's relay and reads the usage event", () => {
    // Azure opens streams with a `choices: []` event that is not the usage event: a client that
    // did not ask for usage must still get it (only the usage-only event is removed).
    const relay = new SseRelayState({ stripUsage: true, captureLimit: 0 });
    const sse = azure.readSse("chat-stream-tools");
    const out = [relay.push(Buffer.from(sse)), relay.flush()]
      .filter((b): b is Buffer => b !== null)
      .map((b) => b.toString("utf8"))
      .join("");
    expect(out).toContain('"prompt_filter_results"');
    expect(out).not.toContain('"usage":{');
    expect(out).toContain('"name":"get_time"');
    expect(out.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(relay.usage).toEqual({ promptTokens: 86, completionTokens: 32, totalTokens: 118 });
    expect(relay.finishReason).toBe("tool_calls");
  });

  it("returns embeddings from the embedding deployment, with usage", async () => {
    server.serve("embeddings", "json", azure);
    const fixture = azure.readResponse("embeddings");
    const request = azure.readRequest("embeddings");
    const result = await azureOpenAIAdapter.embed(configFor(), request.body, call());
    expect(lastReceived().url).toBe(request.path);
    expect(JSON.parse(lastReceived().body)).toEqual(request.body);
    expect(result.raw).toBe(openAIJson(fixture.body));
    expect(result.body).toEqual(fixture.body);
    expect(result.usage).toEqual(usageFromOpenAI((fixture.body as { usage: unknown }).usage));
  });

  it("calls /completions of the deployment for legacy completions (and v1 for the v1 API)", async () => {
    server.serve("chat-basic", "json", azure);
    await azureOpenAIAdapter.completions!(
      configFor(),
      { model: "gpt-35-instruct", prompt: "Say hello." },
      call(),
    );
    expect(lastReceived().url).toBe(
      `/openai/deployments/gpt-35-instruct/completions?api-version=${AZURE_DEFAULT_API_VERSION}`,
    );
    await azureOpenAIAdapter.embed(
      configFor({ options: { apiVersion: "v1" } }),
      { model: "embed-small", input: "x" },
      call(),
    );
    expect(lastReceived().url).toBe("/openai/v1/embeddings");
  });
});

describe("azure-openai adapter: errors", () => {
  const chatFailure = (name: string, config = configFor()) => {
    server.serve(name, "json", azure);
    return failureOf(azureOpenAIAdapter.chat(config, azure.readRequest("chat-basic").body, call()));
  };

  it("turns a prompt refused by the content filter into a non-retryable content_filter error", async () => {
    const fixture = azure.readRequest("error-400-content-filter");
    server.serve("error-400-content-filter", "json", azure);
    for (const attempt of [
      azureOpenAIAdapter.chat(configFor(), fixture.body, call()),
      azureOpenAIAdapter.chatStream(configFor(), { ...fixture.body, stream: true }, call()),
    ]) {
      const err = await failureOf(attempt);
      expect(err).toMatchObject({
        status: 400,
        kind: "http",
        code: "content_filter",
        param: "prompt",
        isRetryable: false,
      });
      expect(err.message).toMatch(/content management policy/);
      expect(JSON.stringify(err.raw)).toContain("ResponsibleAIPolicyViolation");
    }
  });

  it("also recognises a filter refusal by its innererror alone", async () => {
    server.set((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: {
            message: "The prompt was filtered.",
            code: "BadRequest",
            innererror: { code: "ResponsibleAIPolicyViolation" },
          },
        }),
      );
    });
    const err = await failureOf(
      azureOpenAIAdapter.chat(configFor(), azure.readRequest("chat-basic").body, call()),
    );
    expect(err).toMatchObject({ status: 400, code: "content_filter", isRetryable: false });
  });

  it("leaves other 400s as they are", async () => {
    server.set((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "Unsupported parameter", code: "BadRequest" } }));
    });
    const err = await failureOf(
      azureOpenAIAdapter.chat(configFor(), azure.readRequest("chat-basic").body, call()),
    );
    expect(err).toMatchObject({ status: 400, code: "BadRequest", isRetryable: false });
  });

  it("keeps Azure's string codes and the Retry-After of a 429", async () => {
    expect(await chatFailure("error-404-deployment")).toMatchObject({
      status: 404,
      code: "DeploymentNotFound",
      isRetryable: false,
    });
    expect(await chatFailure("error-429")).toMatchObject({
      status: 429,
      code: "429",
      retryAfterMs: 6000,
      isRetryable: true,
    });
    const refused = await chatFailure("error-401");
    expect(refused).toMatchObject({ status: 401, isRetryable: false });
    expect(refused.message).toMatch(/invalid subscription key/);
  });

  it("never keeps the api-key, even when the upstream echoes it", async () => {
    const err = await chatFailure("error-401-echoed-key");
    expect(err.status).toBe(401);
    expect(err.message).not.toContain(SECRET);
    expect(err.message).toContain("***");
    expect(JSON.stringify(err.raw)).not.toContain(SECRET);
  });
});

describe("azure-openai adapter: model listing", () => {
  const deploymentsPath = "/openai/deployments?api-version=2022-12-01";

  it("lists the usable deployments (the names clients call)", async () => {
    route({ [deploymentsPath]: "deployments" });
    const before = server.received.length;
    expect(await azureOpenAIAdapter.listModels(configFor(), call("req-list"))).toEqual([
      { id: "gpt-4o-mini" },
      { id: "embed-small" },
    ]);
    const [got] = since(before);
    expect(got).toMatchObject({ method: "GET", url: deploymentsPath });
    expect(got!.headers["api-key"]).toBe(SECRET);
    expect(got!.headers["x-request-id"]).toBe("req-list");
  });

  it("asks the resource root whatever the base URL's suffix", async () => {
    route({ [deploymentsPath]: "deployments" });
    for (const baseURL of [`${resource}/openai`, `${resource}/openai/v1/`]) {
      const before = server.received.length;
      expect(await azureOpenAIAdapter.listModels(configFor({ baseURL }), call())).toHaveLength(2);
      expect(since(before).map((r) => r.url)).toEqual([deploymentsPath]);
    }
  });

  it("falls back to the resource's models when deployments are not listed", async () => {
    const modelsPath = "/openai/models?api-version=2025-01-01-preview";
    route({ [modelsPath]: "models" });
    const before = server.received.length;
    expect(
      await azureOpenAIAdapter.listModels(
        configFor({ options: { apiVersion: "2025-01-01-preview" } }),
        call(),
      ),
    ).toEqual([{ id: "gpt-4o-mini-2024-07-18" }, { id: "text-embedding-3-small" }]);
    expect(since(before).map((r) => r.url)).toEqual([deploymentsPath, modelsPath]);

    route({ "/openai/v1/models": "models" });
    const v1Before = server.received.length;
    expect(
      await azureOpenAIAdapter.listModels(configFor({ options: { apiVersion: "v1" } }), call()),
    ).toHaveLength(2);
    expect(since(v1Before).map((r) => r.url)).toEqual([deploymentsPath, "/openai/v1/models"]);
  });

  it("returns the configured deployments when neither listing answers", async () => {
    route({});
    const before = server.received.length;
    expect(
      await azureOpenAIAdapter.listModels(
        configFor({ models: ["gpt-4o-mini", "embed-small"] }),
        call(),
      ),
    ).toEqual([{ id: "gpt-4o-mini" }, { id: "embed-small" }]);
    expect(since(before)).toHaveLength(2);
  });

  it("fails at once on a refused key (the connection test must say so), without leaking it", async () => {
    route({ [deploymentsPath]: "error-401-echoed-key" });
    const before = server.received.length;
    const err = await failureOf(
      azureOpenAIAdapter.listModels(configFor({ models: ["gpt-4o-mini"] }), call()),
    );
    expect(err.status).toBe(401);
    expect(err.message).not.toContain(SECRET);
    expect(since(before)).toHaveLength(1);
  });

  it("fails when the resource cannot be reached", async () => {
    const err = await failureOf(
      azureOpenAIAdapter.listModels(
        configFor({ baseURL: "http://127.0.0.1:1", models: ["gpt-4o-mini"] }),
        call(),
      ),
    );
    expect(err.kind).toBe("connect");
  });
});
