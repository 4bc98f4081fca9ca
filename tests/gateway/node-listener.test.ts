import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "~/gateway";
import { createNodeListener } from "~/server/gateway/node-listener";
import { memoryPorts } from "./fakes";

// The gateway on node:http through the adapter, in-process, with in-memory ports.
const fakes = memoryPorts();
const nativeRequest = globalThis.Request;
const nativeResponse = globalThis.Response;
let server: Server;
let base: string;
let usedClass: unknown;

beforeAll(async () => {
  const listener = await createNodeListener((Response) => {
    usedClass = Response;
    return createGateway(fakes.ports, { Response });
  });
  server = createServer((req, res) => void listener(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("createNodeListener", () => {
  it("leaves the global Request and Response untouched", () => {
    expect(globalThis.Request).toBe(nativeRequest);
    expect(globalThis.Response).toBe(nativeResponse);
  });

  it("builds responses with the adapter's own Response class", () => {
    expect(usedClass).toBeTypeOf("function");
    expect(usedClass).not.toBe(nativeResponse);
    const res = new (usedClass as typeof Response)("x", { status: 201 });
    expect(res).toBeInstanceOf(nativeResponse);
    expect(res.status).toBe(201);
  });

  it("serves authenticated, refused, unknown and HEAD requests correctly", async () => {
    const { secret } = fakes.addKey();
    const ok = await fetch(`${base}/v1/models`, {
      headers: { authorization: `Bearer ${secret}`, "x-request-id": "n1" },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-request-id")).toBe("n1");
    expect(ok.headers.get("content-length")).toBe(String('{"object":"list","data":[]}'.length));
    expect(await ok.json()).toEqual({ object: "list", data: [] });

    const refused = await fetch(`${base}/v1/models`);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe("missing_api_key");

    const unknown = await fetch(`${base}/v1/x`, { method: "POST", body: JSON.stringify({ a: 1 }) });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.message).toBe("Invalid URL (POST /v1/x)");

    const head = await fetch(`${base}/healthz`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await head.text()).toBe("");
  });
});
