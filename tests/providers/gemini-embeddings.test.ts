import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { geminiAdapter } from "~/providers/gemini";
import { BATCH_LIMIT } from "~/providers/gemini/embeddings";
import { MAX_PAGES } from "~/providers/gemini/models";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import {
  DEFAULT_TIMEOUTS,
  ProviderError,
  type JsonObject,
  type ProviderConfig,
} from "~/providers/types";
import { fixtureReader, openAIJson, startFixtureServer } from "./fixture-server";

// Embeddings (batchEmbedContents) and model discovery (models.list) against recorded Gemini answers.

const KEY = "AIzaSyFixture-gemini-key-0123456789abcdef";
const fixtures = fixtureReader("gemini");
let server: Awaited<ReturnType<typeof startFixtureServer>>;
let config: ProviderConfig;

beforeAll(async () => {
  server = await startFixtureServer();
  config = {
    id: "gemini",
    type: "gemini",
    baseURL: `http://127.0.0.1:${server.port}/v1beta`,
    apiKey: KEY,
    timeouts: DEFAULT_TIMEOUTS,
    models: [],
  };
});
afterAll(async () => {
  await closeUpstreamPools();
  await server.close();
});

const call = () => ({ signal: new AbortController().signal, requestId: "req-embed" });
const readFixture = <T = JsonObject>(file: string): T =>
  JSON.parse(readFileSync(path.join(fixtures.dir, file), "utf8")) as T;
const vectorsOf = (name: string) =>
  (fixtures.readResponse(name).body as { embeddings: { values: number[] }[] }).embeddings.map(
    (e) => e.values,
  );

async function embed(name: string, body?: JsonObject) {
  server.serve(name, "json", fixtures);
  return geminiAdapter.embed(config, body ?? fixtures.readRequest(name).body, call());
}

describe("gemini adapter: embeddings", () => {
  it.each(["embeddings-single", "embeddings-batch"])(
    "sends %s as batchEmbedContents",
    async (name) => {
      await embed(name);
      const upstream = readFixture<{ path: string; body: JsonObject }>(`${name}.upstream.json`);
      const got = server.received.at(-1)!;
      expect(got.url).toBe(upstream.path);
      expect(got.headers["x-goog-api-key"]).toBe(KEY);
      expect(JSON.parse(got.body)).toEqual(upstream.body);
    },
  );

  it("answers one input with an OpenAI list, usage estimated from the text", async () => {
    const result = await embed("embeddings-single");
    // "What is the meaning of life?" is 28 characters: 7 estimated tokens.
    expect(result.body).toEqual({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: vectorsOf("embeddings-single")[0] }],
      model: "gemini-embedding-001",
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
    expect(result.usage).toEqual({ promptTokens: 7, completionTokens: 0, totalTokens: 7 });
  });

  it("answers a batch in order, with the requested dimensions", async () => {
    const result = await embed("embeddings-batch");
    const data = result.body.data as { index: number; embedding: number[] }[];
    expect(data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(data.map((d) => d.embedding)).toEqual(vectorsOf("embeddings-batch"));
    expect(data.every((d) => d.embedding.length === 4)).toBe(true);
  });

  it("encodes base64 as little-endian float32, as OpenAI does", async () => {
    const body = { ...fixtures.readRequest("embeddings-batch").body, encoding_format: "base64" };
    const result = await embed("embeddings-batch", body);
    const expected = vectorsOf("embeddings-batch");
    (result.body.data as { embedding: string }[]).forEach((d, i) => {
      expect(typeof d.embedding).toBe("string");
      const bytes = Buffer.from(d.embedding, "base64");
      expect(bytes.length).toBe(4 * 4);
      const decoded = Array.from({ length: 4 }, (_, j) => bytes.readFloatLE(j * 4));
      expect(decoded).toEqual(expected[i]!.map((v) => Math.fround(v)));
    });
  });

  it("splits more inputs than one call takes into several calls, keeping the order", async () => {
    const count = BATCH_LIMIT * 2 + 5;
    const before = server.received.length;
    server.set((req, res) => {
      const { requests } = JSON.parse(req.body) as {
        requests: { content: { parts: { text: string }[] } }[];
      };
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        openAIJson({
          embeddings: requests.map((r) => ({ values: [Number(r.content.parts[0]!.text), 0.5] })),
        }),
      );
    });
    const input = Array.from({ length: count }, (_, i) => String(i));
    const result = await geminiAdapter.embed(
      config,
      { model: "gemini-embedding-001", input },
      call(),
    );
    const sizes = server.received
      .slice(before)
      .map((r) => (JSON.parse(r.body) as { requests: unknown[] }).requests.length)
      .sort((a, b) => b - a);
    expect(sizes).toEqual([BATCH_LIMIT, BATCH_LIMIT, 5]);
    const data = result.body.data as { index: number; embedding: number[] }[];
    expect(data.map((d) => d.embedding[0])).toEqual(input.map(Number));
    expect(data.map((d) => d.index)).toEqual(input.map((_, i) => i));
  });

  it("refuses token-array inputs with a clear 400, without calling upstream", async () => {
    const before = server.received.length;
    for (const input of [
      [1, 2, 3],
      [[1, 2], [3]],
    ]) {
      const err = await geminiAdapter
        .embed(config, { model: "gemini-embedding-001", input }, call())
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProviderError);
      expect(err).toMatchObject({ status: 400, param: "input" });
      expect((err as ProviderError).message).toMatch(/token-array/i);
    }
    expect(server.received.length).toBe(before);
  });

  it("reports a count mismatch as a protocol failure and upstream errors in Google's terms", async () => {
    server.set((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(openAIJson({ embeddings: [] }));
    });
    await expect(
      geminiAdapter.embed(config, fixtures.readRequest("embeddings-single").body, call()),
    ).rejects.toMatchObject({ status: 502, kind: "protocol" });
    const fixture = fixtures.readResponse("error-429");
    server.set((_req, res) => {
      res.writeHead(fixture.status, fixture.headers);
      res.end(openAIJson(fixture.body));
    });
    await expect(
      geminiAdapter.embed(config, fixtures.readRequest("embeddings-single").body, call()),
    ).rejects.toMatchObject({ status: 429, code: "RESOURCE_EXHAUSTED", retryAfterMs: 37_000 });
  });
});

describe("gemini adapter: listModels", () => {
  it("pages through models.list and keeps the chat and embedding models", async () => {
    const before = server.received.length;
    server.set((req, res) => {
      const page = req.url.includes("pageToken=") ? "models-page-2" : "models-page-1";
      res.writeHead(200, { "content-type": "application/json" });
      res.end(openAIJson(fixtures.readResponse(page).body));
    });
    const models = await geminiAdapter.listModels(config, call());
    expect(models).toEqual([
      { id: "gemini-2.5-flash", ownedBy: "google" },
      { id: "gemini-2.5-pro", ownedBy: "google" },
      { id: "gemini-embedding-001", ownedBy: "google" },
    ]);
    const urls = server.received.slice(before).map((r) => r.url);
    expect(urls).toEqual([
      "/v1beta/models?pageSize=1000",
      `/v1beta/models?pageSize=1000&pageToken=${encodeURIComponent("Ch9tb2RlbHMvZ2VtaW5pLWVtYmVkZGluZy0wMDE=")}`,
    ]);
    expect(server.received.slice(before).every((r) => r.method === "GET")).toBe(true);
    expect(server.received.at(-1)!.headers["x-goog-api-key"]).toBe(KEY);
  });

  it("stops after a bounded number of pages", async () => {
    const before = server.received.length;
    server.set((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        openAIJson({
          models: [{ name: "models/gemini-loop", supportedGenerationMethods: ["generateContent"] }],
          nextPageToken: "again",
        }),
      );
    });
    const models = await geminiAdapter.listModels(config, call());
    const calls = server.received.length - before;
    expect(calls).toBe(MAX_PAGES);
    expect(models).toHaveLength(calls);
  });
});
