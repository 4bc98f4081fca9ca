import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerFailure } from "~/gateway/provider-failure";
import { anthropicAdapter } from "~/providers/anthropic";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import { ProviderError, type ProviderConfig } from "~/providers/types";
import {
  anthropicConfig,
  anthropicFixtures,
  call,
  clientBody,
  SECRET,
} from "../fixtures/anthropic/replay";
import { startFixtureServer } from "./fixture-server";

// Anthropic error answers → ProviderErrors (status, message, code/type, retryability, no key).

let server: Awaited<ReturnType<typeof startFixtureServer>>;
let config: ProviderConfig;

beforeAll(async () => {
  server = await startFixtureServer();
  config = anthropicConfig(server.baseURL);
});
afterAll(async () => {
  await closeUpstreamPools();
  await server.close();
});

/** The ProviderError a chat call fails with (the test fails if it does not). */
async function chatFailure(): Promise<ProviderError> {
  const err = await anthropicAdapter
    .chat(config, clientBody("chat-basic"), call())
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

function failure(name: string): Promise<ProviderError> {
  server.serve(name, "json", anthropicFixtures);
  return chatFailure();
}

describe("anthropic adapter: errors", () => {
  it("turns HTTP 529 overloaded_error into a retryable error with Anthropic's type", async () => {
    const err = await failure("error-529-overloaded");
    expect(err).toMatchObject({
      status: 529,
      kind: "http",
      isRetryable: true,
      code: "overloaded_error",
      type: "overloaded_error",
      message: "Overloaded",
    });
  });

  it("keeps Retry-After on 429 rate_limit_error", async () => {
    const err = await failure("error-429");
    expect(err).toMatchObject({
      status: 429,
      isRetryable: true,
      retryAfterMs: 7000,
      code: "rate_limit_error",
      type: "rate_limit_error",
    });
    expect(err.message).toMatch(/^Number of request tokens has exceeded/);
    // …which the gateway passes on to the client.
    const forClient = providerFailure(err, null);
    expect(forClient.status).toBe(429);
    expect(forClient.headers).toMatchObject({ "retry-after": "7" });
  });

  it("never keeps the key of a 401 that echoes it", async () => {
    const err = await failure("error-401-echoed-key");
    expect(err).toMatchObject({
      status: 401,
      isRetryable: false,
      code: "authentication_error",
      type: "authentication_error",
    });
    expect(err.message).toBe("invalid x-api-key: ***");
    expect(JSON.stringify(err.raw)).not.toContain(SECRET);
    expect(providerFailure(err, null).message).not.toContain(SECRET);
  });

  it("passes 4xx messages through and marks them not retryable", async () => {
    const bad = await failure("error-400");
    expect(bad).toMatchObject({ status: 400, isRetryable: false, code: "invalid_request_error" });
    expect(bad.message).toMatch(/^max_tokens: 100000 > 64000/);
    const missing = await failure("error-404-model");
    expect(missing).toMatchObject({ status: 404, isRetryable: false, code: "not_found_error" });
    expect(missing.message).toBe("model: claude-nonexistent");
  });

  it("marks 500 api_error retryable", async () => {
    expect(await failure("error-500")).toMatchObject({
      status: 500,
      isRetryable: true,
      code: "api_error",
      message: "Internal server error",
    });
  });

  it("reads errors of stream requests the same way", async () => {
    server.serve("error-429", "json", anthropicFixtures);
    const err = await anthropicAdapter
      .chatStream(config, clientBody("chat-stream"), call())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ status: 429, retryAfterMs: 7000, code: "rate_limit_error" });
  });

  it("keeps a non-JSON error page short, and a bare 529 retryable", async () => {
    server.set((_req, res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><body><h1>502 Bad Gateway</h1></body></html>");
    });
    const page = await chatFailure();
    expect(page).toMatchObject({ status: 502, isRetryable: true });
    expect(page.message).toContain("502 Bad Gateway");
    server.set((_req, res) => {
      res.writeHead(529);
      res.end();
    });
    const bare = await chatFailure();
    expect(bare).toMatchObject({ status: 529, isRetryable: true });
  });
});
