import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  requestUpstream,
  streamUpstream,
  type UpstreamRequest,
} from "~/providers/http/upstream-call";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import { DEFAULT_TIMEOUTS, ProviderError, type ProviderTimeouts } from "~/providers/types";
import { startFixtureServer } from "./fixture-server";

// The transport: pooled keep-alive, the four timeouts, error mapping, aborts, backpressure.

let server: Awaited<ReturnType<typeof startFixtureServer>>;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await closeUpstreamPools();
  await server.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function req(
  overrides: Partial<UpstreamRequest> = {},
  timeouts: Partial<ProviderTimeouts> = {},
): UpstreamRequest {
  return {
    baseURL: server.baseURL,
    path: "/chat/completions",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
    timeouts: { ...DEFAULT_TIMEOUTS, ...timeouts },
    signal: new AbortController().signal,
    ...overrides,
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

describe("upstream transport", () => {
  it("reuses keep-alive connections across requests", async () => {
    server.set((_r, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"ok":true}');
    });
    const before = server.connections.count;
    for (let i = 0; i < 10; i++) expect((await requestUpstream(req())).text).toBe('{"ok":true}');
    // One connection, or two when the next request is dispatched before the first is released.
    expect(server.connections.count - before).toBeLessThanOrEqual(2);
    const mid = server.connections.count;
    for (let round = 0; round < 20; round++) {
      await Promise.all(Array.from({ length: 5 }, () => requestUpstream(req())));
    }
    expect(server.connections.count - mid).toBeLessThanOrEqual(10);
  });

  it("times out waiting for the first byte (504-kind timeout)", async () => {
    server.set((_r, res) => {
      setTimeout(() => res.end("{}"), 1_000);
    });
    const started = Date.now();
    const err = await rejection(requestUpstream(req({}, { firstByteMs: 100 })));
    expect(err).toMatchObject({ kind: "timeout", status: 504, isRetryable: true });
    expect(err.message).toBe("the upstream did not respond within 100 ms");
    expect(Date.now() - started).toBeLessThan(900);
  });

  it("for streams, the first-byte timeout covers the first body byte, not just the headers", async () => {
    server.set((_r, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.flushHeaders();
      setTimeout(() => res.end("data: [DONE]\n\n"), 1_000);
    });
    const err = await rejection(streamUpstream(req({}, { firstByteMs: 100 })));
    expect(err.kind).toBe("timeout");
  });

  it("times out a stream that goes silent between chunks (idle), erroring the stream", async () => {
    server.set((_r, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: 1\n\n");
      setTimeout(() => res.end("data: [DONE]\n\n"), 2_000);
    });
    const body = await streamUpstream(req({}, { idleMs: 150 }));
    const reader = body.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: 1\n\n");
    const err = await reader.read().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: "timeout", message: "the upstream sent nothing for 150 ms" });
  });

  it("enforces the total timeout on a stream that keeps trickling", async () => {
    server.set((_r, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(() => res.write("data: tick\n\n"), 20);
      res.on("close", () => clearInterval(timer));
    });
    const body = await streamUpstream(req({}, { totalMs: 250 }));
    const started = Date.now();
    const err = await new Response(body).text().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      kind: "timeout",
      message: "the upstream did not finish within 250 ms",
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    await sleep(50);
    expect(server.closed.length).toBeGreaterThan(0);
  });

  it("maps a refused connection to a connect failure", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await rejection(requestUpstream(req({ baseURL: `http://127.0.0.1:${port}/v1` })));
    expect(err).toMatchObject({ kind: "connect", status: 502 });
    expect(err.message).toBe("could not reach the upstream (ECONNREFUSED)");
  });

  it("maps a connection dropped mid-answer to a protocol failure", async () => {
    server.set((_r, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"half":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const err = await rejection(requestUpstream(req()));
    expect(err).toMatchObject({ kind: "protocol", status: 502 });
  });

  it("aborts at once when the caller's signal fires, and the upstream sees the connection close", async () => {
    server.set((_r, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(() => res.write("data: x\n\n"), 10);
      res.on("close", () => clearInterval(timer));
    });
    const controller = new AbortController();
    const body = await streamUpstream(req({ signal: controller.signal, path: "/abort-me" }));
    const reader = body.getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    await sleep(100);
    expect(server.closed).toContain("/v1/abort-me");
  });

  it("cancelling the stream aborts the upstream request", async () => {
    server.set((_r, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(() => res.write("data: x\n\n"), 10);
      res.on("close", () => clearInterval(timer));
    });
    const body = await streamUpstream(req({ path: "/cancel-me" }));
    const reader = body.getReader();
    await reader.read();
    await reader.cancel();
    await sleep(100);
    expect(server.closed).toContain("/v1/cancel-me");
  });

  it("rejects immediately for an already-aborted signal", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(requestUpstream(req({ signal: controller.signal }))).rejects.toThrow();
  });

  it("applies backpressure: a slow reader stops the upstream from being read", async () => {
    let written = 0;
    let blocked = false;
    server.set((_r, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const piece = `data: ${"x".repeat(16 * 1024)}\n\n`;
      const pump = () => {
        while (written < 64 * 1024 * 1024) {
          written += piece.length;
          if (!res.write(piece)) {
            blocked = true;
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      res.on("close", () => res.removeAllListeners("drain"));
      pump();
    });
    const body = await streamUpstream(req({ path: "/firehose" }));
    await sleep(300);
    // The upstream filled the socket buffers and had to wait: far less than 64 MB got out.
    expect(blocked).toBe(true);
    expect(written).toBeLessThan(16 * 1024 * 1024);
    await body.cancel();
  });

  it("keeps at most 64 KB of an error body", async () => {
    server.set((_r, res) => {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("e".repeat(1024 * 1024));
    });
    const err = await rejection(requestUpstream(req()));
    expect(err.status).toBe(400);
    expect(String(err.raw).length).toBe(64 * 1024);
  });
});
