import { randomUUID } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "~/gateway";
import type { RequestLogEntry } from "~/gateway/ports";
import {
  routeDefinitionSchema,
  type RouteDefinition,
  type RouteDefinitionInput,
} from "~/gateway/routing/route-schema";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import type { ProviderConfig } from "~/providers/types";
import { createNodeListener } from "~/server/gateway/node-listener";
import { errorOf, memoryPorts } from "../fakes";
import { provider, sseData } from "../llm-fakes";
import {
  startMockUpstream,
  stoppedUpstreamURL,
  type MockUpstreamProcess,
} from "./mock-upstream-process";

// Fault injection end to end: the gateway core (in-memory ports, the real openai-compatible
// adapter over the HTTP transport) in front of the bench's mock upstream, whose models
// `mock-error-500`, `mock-error-429` (Retry-After: 1) and `mock-stream-break` fail on purpose;
// a second mock answering only after 600 ms; and an upstream that is down (nothing listens).

const FAST_RETRY = { attempts: 2, baseDelayMs: 10, maxDelayMs: 500 };

let mock: MockUpstreamProcess;
let slowMock: MockUpstreamProcess;
let downURL: string;
/** Replaced (not mutated) on change, as a caching directory would: the core indexes each list once. */
let routes: readonly RouteDefinition[] = [];
const fakes = memoryPorts({ routes: { forOrg: () => routes } });
let providers: ProviderConfig[] = [];
const gateway = createGateway(fakes.ports);
let nodeServer: Server;
let nodeBase: string;

beforeAll(async () => {
  [mock, slowMock, downURL] = await Promise.all([
    // Chunks 5 ms apart, so a broken stream's first bytes reach the gateway before the socket dies.
    startMockUpstream([], { MOCK_CHUNK_DELAY_MS: "5" }),
    startMockUpstream(["--latency", "600"]),
    stoppedUpstreamURL(),
  ]);
  const compatible = (id: string, baseURL: string, models: string[]) =>
    provider(id, models, "openai-compatible", { baseURL, apiKey: "sk-mock" });
  providers = [
    compatible("flaky", mock.baseURL, [
      "mock-error-500",
      "mock-error-429",
      "mock-stream-break",
      "mock-long-stream",
    ]),
    compatible("backup", mock.baseURL, ["gpt-4o-mini"]),
    compatible("down", downURL, ["gpt-4o-mini"]),
    compatible("slow", slowMock.baseURL, ["gpt-4o-mini"]),
  ];
  const listener = await createNodeListener((Response) => createGateway(fakes.ports, { Response }));
  nodeServer = createServer((req, res) => void listener(req, res));
  await new Promise<void>((resolve) => nodeServer.listen(0, "127.0.0.1", resolve));
  nodeBase = `http://127.0.0.1:${(nodeServer.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  // A failed assertion may leave a response unread: do not wait for its connection.
  nodeServer?.closeAllConnections();
  await new Promise<void>((resolve) => nodeServer?.close(() => resolve()));
  await closeUpstreamPools();
  await Promise.all([mock?.stop(), slowMock?.stop()]);
});

let secret = "";

/**
 * Adds a route (unique name) and, since breakers are kept per org, gives the test an org of its
 * own reaching the same providers (its key becomes the one requests use).
 */
function addRoute(input: Omit<RouteDefinitionInput, "name">): string {
  const name = `r-${randomUUID().slice(0, 8)}`;
  routes = [...routes, routeDefinitionSchema.parse({ ...input, name })];
  const orgId = `org_${name}`;
  fakes.providers.set(orgId, providers);
  secret = fakes.addKey({ orgId }).secret;
  return name;
}

const body = (model: string, marker: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model, messages: [{ role: "user", content: marker }], ...extra });

function send(model: string, marker: string, extra: Record<string, unknown> = {}) {
  return gateway.fetch(
    new Request("http://gateway.test/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: body(model, marker, extra),
    }),
  );
}

const servedBy = (res: Response) =>
  `${res.headers.get("x-switchyard-provider")}/${res.headers.get("x-switchyard-model")} after ${res.headers.get("x-switchyard-attempts")}`;

/** The log entry of the last request (entries are recorded synchronously or at stream end). */
const lastEntry = (): RequestLogEntry => fakes.recorded.at(-1)!;

const attemptsOf = (entry: RequestLogEntry) =>
  entry.attempts!.map(
    (a) => `${a.providerId}:${a.outcome}:${a.status ?? "-"}:${a.errorCode ?? "-"}`,
  );

const countByModel = async (marker: string) => {
  const counts: Record<string, number> = {};
  for (const r of await mock.requests(marker))
    counts[r.model ?? "?"] = (counts[r.model ?? "?"] ?? 0) + 1;
  return counts;
};

describe("fault injection through the gateway core", () => {
  it("falls back in order past a 500ing and a stopped upstream, retrying each, and records every attempt", async () => {
    const name = addRoute({
      targets: [
        { model: "flaky/mock-error-500" },
        { model: "down/gpt-4o-mini" },
        { model: "backup/gpt-4o-mini" },
      ],
      retry: FAST_RETRY,
    });
    const marker = `fallback-${randomUUID()}`;
    const res = await send(name, marker);
    expect(res.status).toBe(200);
    expect((await res.json()).choices[0].message.content).toContain(marker.slice(0, 20));
    expect(servedBy(res)).toBe("backup/gpt-4o-mini after 5");
    expect(await countByModel(marker)).toEqual({ "mock-error-500": 2, "gpt-4o-mini": 1 });
    expect(lastEntry()).toMatchObject({ routeName: name, providerId: "backup", status: 200 });
    expect(attemptsOf(lastEntry())).toEqual([
      "flaky:error:500:upstream_error",
      "flaky:error:500:upstream_error",
      "down:error:502:upstream_unreachable",
      "down:error:502:upstream_unreachable",
      "backup:ok:200:-",
    ]);
  });

  it("honours Retry-After within the cap, and skips to the next target when it exceeds it", async () => {
    const patient = addRoute({
      targets: [{ model: "flaky/mock-error-429" }, { model: "backup/gpt-4o-mini" }],
      retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 2_000 },
    });
    const marker1 = `retry-after-${randomUUID()}`;
    let started = Date.now();
    const waited = await send(patient, marker1);
    expect(waited.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(await countByModel(marker1)).toEqual({ "mock-error-429": 2, "gpt-4o-mini": 1 });

    const impatient = addRoute({
      targets: [{ model: "flaky/mock-error-429" }, { model: "backup/gpt-4o-mini" }],
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 500 },
    });
    const marker2 = `retry-after-cap-${randomUUID()}`;
    started = Date.now();
    const skipped = await send(impatient, marker2);
    expect(skipped.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(900);
    expect(await countByModel(marker2)).toEqual({ "mock-error-429": 1, "gpt-4o-mini": 1 });
    expect(attemptsOf(lastEntry())).toEqual([
      "flaky:error:429:rate_limit_exceeded",
      "backup:ok:200:-",
    ]);
  });

  it("never retries after the first byte: a stream that breaks ends with the final error event, one attempt", async () => {
    const name = addRoute({
      targets: [{ model: "flaky/mock-stream-break" }, { model: "backup/gpt-4o-mini" }],
      retry: FAST_RETRY,
    });
    const marker = `stream-break-${randomUUID()}`;
    const res = await send(name, marker, { stream: true });
    expect(res.status).toBe(200);
    expect(servedBy(res)).toBe("flaky/mock-stream-break after 1");
    const events = sseData(await res.text());
    expect(events).not.toContain("[DONE]");
    expect(JSON.parse(events.at(-1)!).error).toMatchObject({
      type: "server_error",
      code: "upstream_stream_error",
    });
    expect(await countByModel(marker)).toEqual({ "mock-stream-break": 1 });
    expect(lastEntry()).toMatchObject({
      status: 502,
      errorCode: "upstream_stream_error",
      providerId: "flaky",
    });
    expect(attemptsOf(lastEntry())).toEqual(["flaky:error:502:upstream_stream_error"]);
  });

  it("opens the breaker: later requests go straight to the backup, one probe per cooldown", async () => {
    const name = addRoute({
      targets: [{ model: "flaky/mock-error-500" }, { model: "backup/gpt-4o-mini" }],
      retry: FAST_RETRY,
      breaker: { failureThreshold: 2, windowMs: 60_000, cooldownMs: 30_000 },
    });
    const marker = `breaker-${randomUUID()}`;
    for (let i = 0; i < 6; i++) {
      const res = await send(name, marker);
      expect(res.status).toBe(200);
      expect(servedBy(res)).toBe(
        i === 0 ? "backup/gpt-4o-mini after 3" : "backup/gpt-4o-mini after 1",
      );
    }
    // Two failed calls opened it; the other five requests never touched the primary.
    expect(await countByModel(marker)).toEqual({ "mock-error-500": 2, "gpt-4o-mini": 6 });
    expect(attemptsOf(lastEntry())).toEqual([
      "flaky:skipped-open:-:circuit_open",
      "backup:ok:200:-",
    ]);

    // After the cooldown exactly one request probes (and is not retried), then it is open again.
    fakes.clock.current += 30_000;
    await send(name, marker);
    expect(attemptsOf(lastEntry())).toEqual(["flaky:error:500:upstream_error", "backup:ok:200:-"]);
    await send(name, marker);
    await send(name, marker);
    expect(await countByModel(marker)).toEqual({ "mock-error-500": 3, "gpt-4o-mini": 9 });
  });

  it("opens the breaker for an upstream that is down, too", async () => {
    const name = addRoute({
      targets: [{ model: "down/gpt-4o-mini" }, { model: "backup/gpt-4o-mini" }],
      retry: { ...FAST_RETRY, attempts: 1 },
      breaker: { failureThreshold: 1, windowMs: 60_000, cooldownMs: 60_000 },
    });
    const marker = `down-${randomUUID()}`;
    await send(name, marker);
    expect(attemptsOf(lastEntry())[0]).toBe("down:error:502:upstream_unreachable");
    await send(name, marker);
    expect(attemptsOf(lastEntry())).toEqual([
      "down:skipped-open:-:circuit_open",
      "backup:ok:200:-",
    ]);
  });

  it("moves on to the next target when one times out before its first byte", async () => {
    const name = addRoute({
      targets: [
        { model: "slow/gpt-4o-mini", timeouts: { firstByteMs: 150 } },
        { model: "backup/gpt-4o-mini" },
      ],
      retry: { ...FAST_RETRY, attempts: 1 },
    });
    const marker = `timeout-${randomUUID()}`;
    const started = Date.now();
    const res = await send(name, marker);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(550);
    expect(servedBy(res)).toBe("backup/gpt-4o-mini after 2");
    expect(attemptsOf(lastEntry())).toEqual(["slow:error:504:upstream_timeout", "backup:ok:200:-"]);

    const streamed = await send(name, `${marker}-stream`, { stream: true });
    expect(streamed.status).toBe(200);
    expect(servedBy(streamed)).toBe("backup/gpt-4o-mini after 2");
    expect(sseData(await streamed.text()).at(-1)).toBe("[DONE]");
  });

  it("hedges a slow target: the backup answers, the slow call is aborted", async () => {
    const name = addRoute({
      targets: [{ model: "slow/gpt-4o-mini" }, { model: "backup/gpt-4o-mini" }],
      hedgeAfterMs: 100,
    });
    const marker = `hedge-${randomUUID()}`;
    const started = Date.now();
    const res = await send(name, marker);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(550);
    expect(servedBy(res)).toBe("backup/gpt-4o-mini after 2");
    expect(attemptsOf(lastEntry())).toEqual(["slow:aborted:-:-", "backup:ok:200:-"]);
  });

  it("answers the last failure, naming the route, when every target fails", async () => {
    const name = addRoute({
      targets: [{ model: "flaky/mock-error-500" }, { model: "down/gpt-4o-mini" }],
      retry: { ...FAST_RETRY, attempts: 1 },
    });
    const res = await send(name, `all-fail-${randomUUID()}`);
    expect(res.status).toBe(502);
    expect(servedBy(res)).toBe("down/gpt-4o-mini after 2");
    const error = await errorOf(res);
    expect(error.code).toBe("upstream_unreachable");
    expect(error.message).toContain(`route \`${name}\``);
    expect(lastEntry()).toMatchObject({ status: 502, routeName: name, providerId: "down" });
  });
});

describe("routed streams on node:http (written straight to the socket)", () => {
  const post = (model: string, marker: string) =>
    fetch(`${nodeBase}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: body(model, marker, { stream: true }),
    });

  it("falls back before the first byte and names the target that streamed", async () => {
    const name = addRoute({
      targets: [{ model: "flaky/mock-error-500" }, { model: "backup/gpt-4o-mini" }],
      retry: FAST_RETRY,
    });
    const marker = `node-fallback-${randomUUID()}`;
    const res = await post(name, marker);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(servedBy(res)).toBe("backup/gpt-4o-mini after 3");
    expect(sseData(await res.text()).at(-1)).toBe("[DONE]");
    await expect.poll(() => lastEntry().requestedModel).toBe(name);
    expect(lastEntry()).toMatchObject({ status: 200, providerId: "backup" });
    expect(attemptsOf(lastEntry())).toEqual([
      "flaky:error:500:upstream_error",
      "flaky:error:500:upstream_error",
      "backup:ok:200:-",
    ]);
  });

  it("ends a stream that breaks with the error event, without retrying", async () => {
    const name = addRoute({
      targets: [{ model: "flaky/mock-stream-break" }, { model: "backup/gpt-4o-mini" }],
    });
    const marker = `node-break-${randomUUID()}`;
    const res = await post(name, marker);
    expect(servedBy(res)).toBe("flaky/mock-stream-break after 1");
    const events = sseData(await res.text());
    expect(events).not.toContain("[DONE]");
    expect(JSON.parse(events.at(-1)!).error.code).toBe("upstream_stream_error");
    await expect.poll(() => lastEntry().requestedModel).toBe(name);
    expect(attemptsOf(lastEntry())).toEqual(["flaky:error:502:upstream_stream_error"]);
    expect(await countByModel(marker)).toEqual({ "mock-stream-break": 1 });
  });

  it("cancels the upstream stream at once when the client leaves mid-stream", async () => {
    const name = addRoute({
      targets: [{ model: "flaky/mock-long-stream" }, { model: "backup/gpt-4o-mini" }],
    });
    const marker = `node-vanish-${randomUUID()}`;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${nodeBase}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      });
      req.on("error", () => resolve());
      req.on("response", (res) => {
        expect(res.headers["x-switchyard-provider"]).toBe("flaky");
        res.once("data", () => {
          req.destroy();
          resolve();
        });
      });
      req.end(body(name, marker, { stream: true }));
      setTimeout(() => reject(new Error("no first chunk")), 5_000);
    });
    await expect.poll(() => lastEntry().requestedModel === name && lastEntry().status).toBe(499);
    // The mock saw its client (the gateway) go away long before its 200 chunks were sent.
    await expect
      .poll(async () => (await mock.requests(marker)).map((r) => r.outcome), { timeout: 3_000 })
      .toEqual(["client-aborted"]);
    expect(attemptsOf(lastEntry())).toEqual(["flaky:aborted:200:-"]);
  });
});
