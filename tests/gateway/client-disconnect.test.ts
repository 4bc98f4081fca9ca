import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "~/gateway";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import { createNodeListener } from "~/server/gateway/node-listener";
import { startFixtureServer } from "../providers/fixture-server";
import { memoryPorts } from "./fakes";
import { provider } from "./llm-fakes";

// A client that goes away cancels the upstream call at once, on node:http (close event) and
// through a Request's AbortSignal (Next route handlers), streamed or not.

let upstream: Awaited<ReturnType<typeof startFixtureServer>>;
let server: Server;
let base: string;
const fakes = memoryPorts();
let secret: string;

beforeAll(async () => {
  upstream = await startFixtureServer();
  fakes.providers.set("org_a", [
    provider("slow", ["m"], "openai-compatible", { baseURL: upstream.baseURL }),
  ]);
  ({ secret } = fakes.addKey({ orgId: "org_a" }));
  const listener = await createNodeListener((Response) => createGateway(fakes.ports, { Response }));
  server = createServer((req, res) => void listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeUpstreamPools();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await upstream.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends a request and destroys the connection after `ms` (or at the first body byte). */
function sendThenVanish(body: unknown, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(`${base}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    });
    req.on("error", () => resolve());
    req.on("response", (res) => res.once("data", () => (req.destroy(), resolve())));
    req.end(JSON.stringify(body));
    setTimeout(() => (req.destroy(), resolve()), ms);
  });
}

describe("client disconnects", () => {
  it("cancels a non-streamed upstream call when the client leaves (node:http)", async () => {
    upstream.set((req, res) => {
      const timer = setTimeout(() => res.end("{}"), 5_000);
      res.on("close", () => clearTimeout(timer));
    });
    const before = fakes.recorded.length;
    await sendThenVanish({ model: "m", messages: [{ role: "user", content: "slow" }] }, 150);
    await sleep(150);
    expect(upstream.closed.at(-1)).toBe("/v1/chat/completions");
    expect(fakes.recorded.slice(before)).toEqual([
      expect.objectContaining({ status: 499, errorCode: "client_closed_request" }),
    ]);
  });

  it("cancels a stream when the client leaves (node:http)", async () => {
    const closedBefore = upstream.closed.length;
    upstream.set((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const timer = setInterval(
        () => res.write('data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\n'),
        10,
      );
      res.on("close", () => clearInterval(timer));
    });
    const before = fakes.recorded.length;
    await sendThenVanish(
      { model: "m", stream: true, messages: [{ role: "user", content: "x" }] },
      2_000,
    );
    await sleep(150);
    expect(upstream.closed.length).toBe(closedBefore + 1);
    expect(fakes.recorded.slice(before)).toEqual([
      expect.objectContaining({ status: 499, stream: true }),
    ]);
  });

  it("cancels through the Request's signal where there is no node response (Next)", async () => {
    upstream.set((_req, res) => {
      const timer = setTimeout(() => res.end("{}"), 5_000);
      res.on("close", () => clearTimeout(timer));
    });
    const closedBefore = upstream.closed.length;
    const gateway = createGateway(fakes.ports);
    const controller = new AbortController();
    const pending = gateway.fetch(
      new Request("http://x/v1/chat/completions", {
        method: "POST",
        headers: { authorization: `Bearer ${secret}` },
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "x" }] }),
        signal: controller.signal,
      }),
    );
    await sleep(100);
    controller.abort();
    const res = await pending;
    expect(res.status).toBe(499);
    await sleep(100);
    expect(upstream.closed.length).toBe(closedBefore + 1);
  });
});
