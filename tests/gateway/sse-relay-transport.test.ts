import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSseRelay, type RelaySummary } from "~/gateway/streaming/sse-relay";
import { streamUpstream } from "~/providers/http/upstream-call";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import { DEFAULT_TIMEOUTS } from "~/providers/types";
import { readSse, startFixtureServer } from "../providers/fixture-server";

// The relay running inside the HTTP transport's own stream (one stream, no second pass).

let server: Awaited<ReturnType<typeof startFixtureServer>>;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(async () => {
  await closeUpstreamPools();
  await server.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function relayFrom(path: string, strip: boolean, signal = new AbortController().signal) {
  const upstream = await streamUpstream({
    baseURL: server.baseURL,
    path,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
    timeouts: DEFAULT_TIMEOUTS,
    signal,
  });
  const ends: RelaySummary[] = [];
  const stream = await openSseRelay(upstream, {
    stripUsage: strip,
    captureLimit: 1 << 20,
    failureMessage: (e) => `failed: ${(e as Error).message}`,
    clientGone: () => signal.aborted,
    onEnd: (s) => ends.push(s),
  });
  return { upstream, stream, ends };
}

const transcript = readSse("chat-stream");
const events = transcript
  .split("\n\n")
  .filter(Boolean)
  .map((e) => `${e}\n\n`);
const usageEvent = events.find((e) => e.includes('"choices":[]'))!;

describe("SSE relay tapped into the transport", () => {
  it("runs in place (same stream) and strips the usage event, however the bytes are split", async () => {
    server.set((_r, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const bytes = Buffer.from(transcript);
      let at = 0;
      const step = () => {
        if (at >= bytes.length) return void res.end();
        res.write(bytes.subarray(at, at + 37));
        at += 37;
        setTimeout(step, 1);
      };
      step();
    });
    const { upstream, stream, ends } = await relayFrom("/split", true);
    expect(stream).toBe(upstream);
    expect(await new Response(stream).text()).toBe(transcript.replace(usageEvent, ""));
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({
      outcome: "complete",
      finishReason: "stop",
      usage: { totalTokens: expect.any(Number) },
    });
    expect(ends[0]!.captured!.toString()).toBe(transcript.replace(usageEvent, ""));
  });

  it("passes everything when the client asked for usage", async () => {
    server.serve("chat-stream", "sse");
    const { stream, ends } = await relayFrom("/whole", false);
    expect(await new Response(stream).text()).toBe(transcript);
    expect(ends[0]!.outcome).toBe("complete");
  });

  it("ends with the error event and no [DONE] when the upstream connection dies mid-stream", async () => {
    server.set((_r, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(events.slice(0, 3).join(""));
      setTimeout(() => res.socket?.destroy(), 30);
    });
    const { stream, ends } = await relayFrom("/break", true);
    const text = await new Response(stream).text();
    expect(text.startsWith(events.slice(0, 3).join(""))).toBe(true);
    expect(text).not.toContain("[DONE]");
    expect(text.trim().split("\n\n").at(-1)).toBe(
      'data: {"error":{"message":"failed: the upstream closed the connection before the response was complete","type":"server_error","param":null,"code":"upstream_stream_error"}}',
    );
    expect(ends[0]!.outcome).toBe("upstream_error");
  });

  it("cancelling aborts the upstream at once and is recorded as the client's doing", async () => {
    server.set((_r, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      let i = 0;
      const timer = setInterval(() => res.write(events[i++ % 3]!), 5);
      res.on("close", () => clearInterval(timer));
    });
    const { stream, ends } = await relayFrom("/cancel", true);
    const reader = stream.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    await sleep(100);
    expect(server.closed).toContain("/v1/cancel");
    expect(ends).toEqual([expect.objectContaining({ outcome: "client_abort" })]);
  });

  it("an aborted request signal (client gone) is not an upstream failure", async () => {
    server.set((_r, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      let i = 0;
      const timer = setInterval(() => res.write(events[i++ % 3]!), 5);
      res.on("close", () => clearInterval(timer));
    });
    const controller = new AbortController();
    const { stream, ends } = await relayFrom("/signal", true, controller.signal);
    const reader = stream.getReader();
    await reader.read();
    controller.abort();
    await sleep(100);
    expect(server.closed).toContain("/v1/signal");
    expect(ends).toEqual([expect.objectContaining({ outcome: "client_abort" })]);
  });
});
