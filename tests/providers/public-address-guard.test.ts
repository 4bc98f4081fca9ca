import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeUpstreamPools, poolFor } from "~/providers/http/upstream-pools";
import { openAICompatibleAdapter } from "~/providers/openai-compatible";
import { DEFAULT_TIMEOUTS, ProviderError, type ProviderConfig } from "~/providers/types";
import { memoryGateway } from "../gateway/fakes";
import { provider } from "../gateway/llm-fakes";
import { readRequest, startFixtureServer } from "./fixture-server";

// Providers that must reach public addresses only are refused at connect time, before a byte
// reaches the upstream: by name (the resolved address is checked) and by IP literal.

const SECRET = "sk-guard-upstream-secret-0123456789";
let server: Awaited<ReturnType<typeof startFixtureServer>>;

beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await closeUpstreamPools();
  await server.close();
});

const call = () => ({ signal: new AbortController().signal, requestId: "req-guard" });

function config(baseURL: string, publicAddressesOnly?: boolean): ProviderConfig {
  return {
    id: "org-llm",
    type: "openai-compatible",
    baseURL,
    apiKey: SECRET,
    timeouts: DEFAULT_TIMEOUTS,
    models: [],
    ...(publicAddressesOnly === undefined ? {} : { publicAddressesOnly }),
  };
}

async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

/** Asserts the upstream saw neither a request nor a connection while `run` ran. */
async function untouched(run: () => Promise<void>): Promise<void> {
  const received = server.received.length;
  const connections = server.connections.count;
  await run();
  expect(server.received.length).toBe(received);
  expect(server.connections.count).toBe(connections);
}

function expectRefused(err: ProviderError, host: string): void {
  expect(err).toMatchObject({ kind: "connect", status: 502, isRetryable: false });
  expect(err.message).toContain(`refused to connect to ${host}`);
  expect(err.message).not.toContain(SECRET);
}

describe("public-addresses-only providers (through the adapter)", () => {
  const body = () => readRequest("chat-basic").body;

  it("refuses a name resolving to loopback, JSON and stream, without reaching the upstream", async () => {
    server.serve("chat-basic");
    const guarded = config(`http://localhost:${server.port}/v1`, true);
    await untouched(async () => {
      expectRefused(
        await rejection(openAICompatibleAdapter.chat(guarded, body(), call())),
        "localhost",
      );
      expectRefused(
        await rejection(
          openAICompatibleAdapter.chatStream(guarded, { ...body(), stream: true }, call()),
        ),
        "localhost",
      );
      expectRefused(
        await rejection(openAICompatibleAdapter.listModels(guarded, call())),
        "localhost",
      );
    });
  });

  it("calls the same upstream when the flag is not set (instance providers)", async () => {
    server.serve("chat-basic");
    const before = server.received.length;
    for (const flag of [undefined, false]) {
      const result = await openAICompatibleAdapter.chat(
        config(`http://localhost:${server.port}/v1`, flag),
        body(),
        call(),
      );
      expect(result.body).toMatchObject({ object: "chat.completion" });
    }
    expect(server.received.length).toBe(before + 2);
  });

  it("refuses private IP literals (sockets connect to those without a lookup)", async () => {
    server.serve("chat-basic");
    await untouched(async () => {
      expectRefused(
        await rejection(openAICompatibleAdapter.chat(config(server.baseURL, true), body(), call())),
        "127.0.0.1",
      );
      expectRefused(
        await rejection(
          openAICompatibleAdapter.chat(
            config(`http://[::1]:${server.port}/v1`, true),
            body(),
            call(),
          ),
        ),
        "[::1]",
      );
    });
    // And unguarded, the literal works.
    const ok = await openAICompatibleAdapter.chat(config(server.baseURL), body(), call());
    expect(ok.body).toMatchObject({ object: "chat.completion" });
  });

  it("a guarded pool refuses a private literal itself, whoever dispatches on it", async () => {
    const pool = poolFor(`http://127.0.0.1:${server.port}`, 5_000, true);
    await untouched(async () => {
      const err = await pool.request({ path: "/v1/models", method: "GET" }).then(
        () => null,
        (e: unknown) => e as NodeJS.ErrnoException,
      );
      expect(err?.code).toBe("EPRIVATEUPSTREAM");
    });
  });
});

describe("public-addresses-only providers (through the gateway)", () => {
  it("answers the client 502 in OpenAI's error shape, JSON and stream", async () => {
    const g = memoryGateway();
    g.providers.set("org_a", [
      provider("org-llm", ["m"], "openai-compatible", {
        baseURL: `http://localhost:${server.port}/v1`,
        apiKey: SECRET,
        publicAddressesOnly: true,
      }),
    ]);
    const { secret } = g.addKey({ orgId: "org_a" });
    await untouched(async () => {
      for (const stream of [false, true]) {
        const res = await g.call("/v1/chat/completions", {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
          body: JSON.stringify({ model: "m", stream, messages: [{ role: "user", content: "hi" }] }),
        });
        expect(res.status, `stream: ${stream}`).toBe(502);
        const text = await res.text();
        expect(text).not.toContain(SECRET);
        const json = JSON.parse(text) as { error: { message: string; type: string; code: string } };
        expect(json.error).toMatchObject({
          code: "upstream_unreachable",
          type: "server_error",
          param: null,
        });
        expect(json.error.message).toContain("refused to connect to localhost");
        expect(json.error.message).toContain("org-llm");
      }
    });
  });
});
