import { describe, expect, it } from "vitest";
import { createProviderModelCatalog, routingStateFor } from "~/gateway";
import type { GatewayPorts, RequestLogEntry } from "~/gateway/ports";
import { createRoutingState, seededRandom } from "~/gateway/routing/routing-state";
import {
  routeDefinitionSchema,
  type RouteDefinition,
  type RouteDefinitionInput,
} from "~/gateway/routing/route-schema";
import { ProviderError, type JsonObject, type ProviderAdapter } from "~/providers/types";
import { errorOf, memoryPorts } from "../fakes";
import { llmGateway, provider, spyAdapters, sseData } from "../llm-fakes";

// Routes through the gateway core with in-memory ports and the in-process mock provider (whose
// models `mock-error-500`, `mock-rate-limit` and `mock-stream-break` fail on purpose).

const MESSAGES = [{ role: "user", content: "Hello route" }];

const route = (input: RouteDefinitionInput): RouteDefinition => routeDefinitionSchema.parse(input);

const PROVIDERS = [
  provider("primary", ["mock-gpt", "mock-error-500", "mock-rate-limit", "mock-stream-break"]),
  provider("backup", ["mock-gpt"]),
];

/** A gateway for org_a with these routes, a fake sleep (recorded) and seeded randomness. */
function routedGateway(
  routes: RouteDefinition[],
  overrides: Partial<GatewayPorts> = {},
  providers = PROVIDERS,
) {
  const slept: number[] = [];
  const routing = createRoutingState({
    clock: { now: () => Date.parse("2030-01-01T00:00:00Z") },
    random: seededRandom(3),
    sleep: async (ms) => {
      slept.push(ms);
    },
  });
  const g = llmGateway(providers, {
    routes: { forOrg: (orgId) => (orgId === "org_a" ? routes : []) },
    routing,
    ...overrides,
  });
  return { ...g, slept, routing };
}

const servedBy = (res: Response) => ({
  provider: res.headers.get("x-switchyard-provider"),
  model: res.headers.get("x-switchyard-model"),
  attempts: res.headers.get("x-switchyard-attempts"),
});

const attemptsOf = (entry: RequestLogEntry) =>
  entry.attempts!.map((a) => `${a.providerId}/${a.model}:${a.outcome}:${a.status ?? "-"}`);

const RESILIENT = route({
  name: "resilient",
  strategy: "fallback",
  targets: [{ model: "primary/mock-error-500" }, { model: "backup/mock-gpt" }],
});

describe("x-switchyard-* headers", () => {
  it("name the provider, model and attempts on direct answers, streamed or not, and on upstream errors", async () => {
    const g = llmGateway(PROVIDERS);
    const res = await g.post("/v1/chat/completions", {
      model: "backup/mock-gpt",
      messages: MESSAGES,
    });
    expect(res.status).toBe(200);
    expect(servedBy(res)).toEqual({ provider: "backup", model: "mock-gpt", attempts: "1" });
    const stream = await g.post("/v1/chat/completions", {
      model: "mock-gpt",
      messages: MESSAGES,
      stream: true,
    });
    expect(servedBy(stream)).toEqual({ provider: "primary", model: "mock-gpt", attempts: "1" });
    await stream.text();
    const failed = await g.post("/v1/chat/completions", {
      model: "mock-error-500",
      messages: MESSAGES,
    });
    expect(failed.status).toBe(502);
    expect(servedBy(failed)).toEqual({
      provider: "primary",
      model: "mock-error-500",
      attempts: "1",
    });
    // A direct model is one attempt: no retry, and nothing routed in its log entry.
    expect(g.seen.filter((s) => s.body.model === "mock-error-500")).toHaveLength(1);
    expect(g.recorded.map((e) => [e.routeName, e.attempts])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
  });

  it("are absent when the request never reached an upstream", async () => {
    const g = llmGateway(PROVIDERS);
    const res = await g.post("/v1/chat/completions", { model: "nope", messages: MESSAGES });
    expect(res.status).toBe(404);
    expect(res.headers.get("x-switchyard-provider")).toBeNull();
  });
});

describe("routes (virtual models) through the gateway core", () => {
  it("falls back past a failing primary (with retries) and records every attempt", async () => {
    const g = routedGateway([RESILIENT]);
    const res = await g.post("/v1/chat/completions", { model: "resilient", messages: MESSAGES });
    expect(res.status).toBe(200);
    expect((await res.json()).choices[0].message.content).toBe("Hello route");
    expect(servedBy(res)).toEqual({ provider: "backup", model: "mock-gpt", attempts: "3" });
    expect(g.slept).toHaveLength(1);
    const entry = g.recorded[0]!;
    expect(entry).toMatchObject({
      requestedModel: "resilient",
      routeName: "resilient",
      providerId: "backup",
      servedModel: "mock-gpt",
      status: 200,
    });
    expect(attemptsOf(entry)).toEqual([
      "primary/mock-error-500:error:500",
      "primary/mock-error-500:error:500",
      "backup/mock-gpt:ok:200",
    ]);
    expect(entry.attempts![0]).toMatchObject({ errorCode: "upstream_error" });
    expect(entry.attempts![2]!.startedAt).toEqual(expect.any(Number));
  });

  it("answers with the last failure when every target fails, naming the route", async () => {
    const g = routedGateway([
      route({
        name: "doomed",
        targets: [{ model: "primary/mock-error-500" }, { model: "primary/mock-rate-limit" }],
        retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 100 },
      }),
    ]);
    const res = await g.post("/v1/chat/completions", { model: "doomed", messages: MESSAGES });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(servedBy(res)).toEqual({ provider: "primary", model: "mock-rate-limit", attempts: "2" });
    const error = await errorOf(res);
    expect(error.message).toMatch(
      /^Every target of the route `doomed` failed \(2 upstream calls\)\. Last error: /,
    );
    expect(error.code).toBe("rate_limit_exceeded");
    expect(g.recorded[0]).toMatchObject({
      status: 429,
      routeName: "doomed",
      providerId: "primary",
    });
    expect(attemptsOf(g.recorded[0]!)).toEqual([
      "primary/mock-error-500:error:500",
      "primary/mock-rate-limit:error:429",
    ]);
  });

  it("prefers route names over plain model names; provider/model never names a route", async () => {
    const shadow = route({ name: "mock-gpt", targets: [{ model: "backup/mock-gpt" }] });
    const g = routedGateway([shadow]);
    const viaRoute = await g.post("/v1/chat/completions", {
      model: "mock-gpt",
      messages: MESSAGES,
    });
    expect(servedBy(viaRoute).provider).toBe("backup");
    expect(g.recorded[0]!.routeName).toBe("mock-gpt");
    const direct = await g.post("/v1/chat/completions", {
      model: "primary/mock-gpt",
      messages: MESSAGES,
    });
    expect(servedBy(direct).provider).toBe("primary");
    expect(g.recorded[1]).toMatchObject({ routeName: null, attempts: null });
  });

  it("applies the key's allow-list to the route name, not to its targets", async () => {
    const g = routedGateway([RESILIENT]);
    const allowed = g.addKey({ orgId: "org_a", allowedModels: ["resilient"] });
    const refused = g.addKey({ orgId: "org_a", allowedModels: ["mock-gpt", "backup/*"] });
    const send = (secret: string) =>
      g.call("/v1/chat/completions", {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "resilient", messages: MESSAGES }),
      });
    expect((await send(allowed.secret)).status).toBe(200);
    const res = await send(refused.secret);
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ code: "model_not_allowed" });
  });

  it("skips and records targets no provider offers; 404 naming the route when none is left", async () => {
    const g = routedGateway([
      route({
        name: "partly",
        targets: [{ model: "gone/model-x" }, { model: "backup/mock-gpt" }],
      }),
      route({ name: "nowhere", targets: [{ model: "gone/model-x" }, { model: "nonexistent" }] }),
    ]);
    const res = await g.post("/v1/chat/completions", { model: "partly", messages: MESSAGES });
    expect(res.status).toBe(200);
    expect(servedBy(res)).toEqual({ provider: "backup", model: "mock-gpt", attempts: "1" });
    expect(attemptsOf(g.recorded[0]!)).toEqual([
      "gone/model-x:skipped-unknown:404",
      "backup/mock-gpt:ok:200",
    ]);
    const missing = await g.post("/v1/chat/completions", { model: "nowhere", messages: MESSAGES });
    expect(missing.status).toBe(404);
    const error = await errorOf(missing);
    expect(error).toMatchObject({ code: "model_not_found", param: "model" });
    expect(error.message).toContain("route `nowhere`");
    expect(error.message).toContain("`gone/model-x`");
  });

  it("merges a target's params into the upstream body and applies its timeouts", async () => {
    const g = routedGateway([
      route({
        name: "tuned",
        targets: [
          {
            model: "backup/mock-gpt",
            params: { temperature: 0, max_tokens: 64, model: "ignored", stream: true },
            timeouts: { firstByteMs: 1234 },
          },
        ],
      }),
    ]);
    const res = await g.post("/v1/chat/completions", {
      model: "tuned",
      messages: MESSAGES,
      temperature: 1.5,
    });
    expect(res.status).toBe(200);
    const seen = g.seen[0]!;
    expect(seen.body).toMatchObject({ model: "mock-gpt", temperature: 0, max_tokens: 64 });
    expect(seen.body.stream).toBeUndefined();
    expect(JSON.parse(seen.options.bodyText!)).toEqual(seen.body);
    expect(seen.config.timeouts.firstByteMs).toBe(1234);
    expect(seen.config.timeouts.connectMs).toBe(PROVIDERS[1]!.timeouts.connectMs);
    expect(PROVIDERS[1]!.timeouts.firstByteMs).not.toBe(1234);
  });

  it("picks targets by key, metadata and prompt size; 400 when none applies", async () => {
    const g = routedGateway([
      route({
        name: "picky",
        targets: [
          { model: "primary/mock-gpt", when: { metadata: { tier: "gold" } } },
          { model: "backup/mock-gpt", when: { maxPromptTokens: 10 } },
        ],
      }),
      route({ name: "vip", targets: [{ model: "backup/mock-gpt", when: { keys: ["vip key"] } }] }),
    ]);
    const gold = await g.post(
      "/v1/chat/completions",
      { model: "picky", messages: MESSAGES },
      { "x-switchyard-metadata": JSON.stringify({ tier: "gold" }) },
    );
    expect(servedBy(gold).provider).toBe("primary");
    const small = await g.post("/v1/chat/completions", { model: "picky", messages: MESSAGES });
    expect(servedBy(small).provider).toBe("backup");
    const large = await g.post("/v1/chat/completions", {
      model: "picky",
      messages: [{ role: "user", content: "x".repeat(200) }],
    });
    expect(large.status).toBe(400);
    expect(await errorOf(large)).toMatchObject({ code: "no_route_target", param: "model" });
    expect(large.headers.get("x-switchyard-provider")).toBeNull();

    expect(
      (await g.post("/v1/chat/completions", { model: "vip", messages: MESSAGES })).status,
    ).toBe(400);
    const vip = g.addKey({ orgId: "org_a", name: "vip key" });
    const res = await g.call("/v1/chat/completions", {
      method: "POST",
      headers: { authorization: `Bearer ${vip.secret}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "vip", messages: MESSAGES }),
    });
    expect(res.status).toBe(200);
  });

  it("orders a lowest-cost route by the prices port", async () => {
    const prices = new Map([
      ["primary", 30],
      ["backup", 0.75],
    ]);
    const g = routedGateway(
      [
        route({
          name: "cheap",
          strategy: "lowest-cost",
          targets: [{ model: "primary/mock-gpt" }, { model: "backup/mock-gpt" }],
        }),
      ],
      { prices: { priceOf: async (p) => prices.get(p.id) ?? null } },
    );
    const res = await g.post("/v1/chat/completions", { model: "cheap", messages: MESSAGES });
    expect(servedBy(res).provider).toBe("backup");
    prices.set("primary", 0.1);
    const again = await g.post("/v1/chat/completions", { model: "cheap", messages: MESSAGES });
    expect(servedBy(again).provider).toBe("primary");
  });

  it("serves embeddings and legacy completions over a route too", async () => {
    const g = routedGateway([
      route({
        name: "embed",
        targets: [{ model: "primary/mock-error-500" }, { model: "backup/mock-gpt" }],
        retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 100 },
      }),
    ]);
    const embed = await g.post("/v1/embeddings", { model: "embed", input: "hello" });
    expect(embed.status).toBe(200);
    expect(servedBy(embed)).toEqual({ provider: "backup", model: "mock-gpt", attempts: "2" });
    const completion = await g.post("/v1/completions", { model: "embed", prompt: "hello" });
    expect(completion.status).toBe(200);
    expect(g.recorded.map((e) => e.endpoint)).toEqual(["embeddings", "completions"]);
  });
});

describe("cascade routes", () => {
  /** Targets answer with a fixed text per provider. */
  function cascadeGateway(
    answers: Record<string, string | JsonObject>,
    check: RouteDefinitionInput["cascade"] = {},
  ) {
    const chat: ProviderAdapter["chat"] = async (config) => {
      const answer = answers[config.id]!;
      const body: JsonObject =
        typeof answer === "string"
          ? {
              object: "chat.completion",
              model: "m",
              choices: [
                {
                  index: 0,
                  message: { role: "assistant", content: answer },
                  finish_reason: "stop",
                },
              ],
            }
          : answer;
      return { body, usage: null, finishReason: "stop", rawFinishReason: "stop" };
    };
    const spies = spyAdapters({ chat });
    const providers = ["small", "medium", "large"].map((id) => provider(id, ["m"]));
    const g = routedGateway(
      [
        route({
          name: "smart",
          strategy: "cascade",
          targets: [{ model: "small/m" }, { model: "medium/m" }, { model: "large/m" }],
          cascade: check,
          hedgeAfterMs: 1,
        }),
      ],
      { adapters: spies.registry },
      providers,
    );
    return { ...g, seen: spies.seen };
  }

  const ask = (g: ReturnType<typeof cascadeGateway>, extra: JsonObject = {}) =>
    g.post("/v1/chat/completions", { model: "smart", messages: MESSAGES, ...extra });

  it("keeps the cheap answer when it passes the check", async () => {
    const g = cascadeGateway({ small: "Paris.", medium: "Paris!", large: "Paris!!" });
    const res = await ask(g);
    expect(servedBy(res)).toEqual({ provider: "small", model: "m", attempts: "1" });
    expect(g.seen.map((s) => s.config.id)).toEqual(["small"]);
  });

  it("escalates a refusal, an empty answer, a short answer and invalid JSON — and only those", async () => {
    const refusal = cascadeGateway({
      small: "I'm sorry, but I can't help with that.",
      medium: "Sure: Paris.",
      large: "x",
    });
    const res = await ask(refusal);
    expect(servedBy(res)).toEqual({ provider: "medium", model: "m", attempts: "2" });
    expect(
      refusal.recorded[0]!.attempts!.map((a) => [a.providerId, a.outcome, a.errorCode]),
    ).toEqual([
      ["small", "escalated", "refusal"],
      ["medium", "ok", null],
    ]);

    const empty = cascadeGateway({ small: "", medium: "", large: "Paris." });
    expect(servedBy(await ask(empty)).provider).toBe("large");
    expect(empty.recorded[0]!.attempts!.map((a) => a.errorCode)).toEqual(["empty", "empty", null]);

    const short = cascadeGateway(
      { small: "Paris", medium: "Paris is the capital.", large: "x" },
      { minLength: 12 },
    );
    expect(servedBy(await ask(short)).provider).toBe("medium");

    const json = cascadeGateway({ small: "{oops", medium: '{"city":"Paris"}', large: "x" });
    expect(servedBy(await ask(json, { response_format: { type: "json_object" } })).provider).toBe(
      "medium",
    );
    const notAskedForJson = cascadeGateway({ small: "{oops", medium: "x", large: "x" });
    expect(servedBy(await ask(notAskedForJson)).provider).toBe("small");
  });

  it("escalates on low logprob confidence when the target returns logprobs", async () => {
    const withLogprobs = (logprob: number): JsonObject => ({
      object: "chat.completion",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Paris" },
          logprobs: { content: [{ token: "Paris", logprob, top_logprobs: [] }] },
          finish_reason: "stop",
        },
      ],
    });
    const unsure = cascadeGateway(
      { small: withLogprobs(-1.5), medium: withLogprobs(-0.01), large: "x" },
      { minConfidence: 0.8 },
    );
    expect(servedBy(await ask(unsure)).provider).toBe("medium");
    const sure = cascadeGateway(
      { small: withLogprobs(-0.05), medium: "x", large: "x" },
      { minConfidence: 0.8 },
    );
    expect(servedBy(await ask(sure)).provider).toBe("small");
  });

  it("streams from the first target without checking it", async () => {
    const g = cascadeGateway({ small: "", medium: "x", large: "x" });
    const res = await ask(g, { stream: true });
    expect(res.status).toBe(200);
    expect(servedBy(res).provider).toBe("small");
    expect(sseData(await res.text()).at(-1)).toBe("[DONE]");
    expect(g.seen.map((s) => `${s.method}:${s.config.id}`)).toEqual(["chatStream:small"]);
  });
});

describe("routed streams", () => {
  it("falls back on a failure before the first byte, transparently", async () => {
    const g = routedGateway([RESILIENT]);
    const res = await g.post("/v1/chat/completions", {
      model: "resilient",
      messages: MESSAGES,
      stream: true,
    });
    expect(res.status).toBe(200);
    expect(servedBy(res)).toEqual({ provider: "backup", model: "mock-gpt", attempts: "3" });
    const events = sseData(await res.text());
    expect(events.at(-1)).toBe("[DONE]");
    expect(g.recorded[0]).toMatchObject({
      status: 200,
      routeName: "resilient",
      providerId: "backup",
    });
    expect(attemptsOf(g.recorded[0]!)).toEqual([
      "primary/mock-error-500:error:500",
      "primary/mock-error-500:error:500",
      "backup/mock-gpt:ok:200",
    ]);
  });

  it("never retries after the first byte: a broken stream ends with the error event", async () => {
    const g = routedGateway([
      route({
        name: "fragile",
        targets: [{ model: "primary/mock-stream-break" }, { model: "backup/mock-gpt" }],
      }),
    ]);
    const res = await g.post("/v1/chat/completions", {
      model: "fragile",
      messages: MESSAGES,
      stream: true,
    });
    expect(res.status).toBe(200);
    expect(servedBy(res)).toEqual({
      provider: "primary",
      model: "mock-stream-break",
      attempts: "1",
    });
    const events = sseData(await res.text());
    expect(events).not.toContain("[DONE]");
    expect(JSON.parse(events.at(-1)!).error).toMatchObject({ code: "upstream_stream_error" });
    expect(g.seen.map((s) => s.config.id)).toEqual(["primary"]);
    expect(g.recorded[0]).toMatchObject({ status: 502, errorCode: "upstream_stream_error" });
    expect(g.recorded[0]!.attempts).toEqual([
      expect.objectContaining({
        outcome: "error",
        status: 502,
        errorCode: "upstream_stream_error",
      }),
    ]);
  });
});

describe("routing state", () => {
  it("is shared by the gateways built over the same ports, and shows breaker states", async () => {
    const fakes = memoryPorts();
    expect(routingStateFor(fakes.ports)).toBe(routingStateFor(fakes.ports));
    expect(routingStateFor(memoryPorts().ports)).not.toBe(routingStateFor(fakes.ports));

    const g = routedGateway([
      route({
        name: "flaky",
        targets: [{ model: "primary/mock-error-500" }, { model: "backup/mock-gpt" }],
        retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 10 },
        breaker: { failureThreshold: 2, windowMs: 60_000, cooldownMs: 60_000 },
      }),
    ]);
    for (let i = 0; i < 3; i++) {
      expect(
        (await g.post("/v1/chat/completions", { model: "flaky", messages: MESSAGES })).status,
      ).toBe(200);
    }
    expect(g.seen.filter((s) => s.config.id === "primary")).toHaveLength(2);
    expect(g.routing.breakers.snapshot("org_a")).toEqual([
      expect.objectContaining({
        providerId: "primary",
        model: "mock-error-500",
        state: "open",
        failures: 2,
      }),
    ]);
    expect(attemptsOf(g.recorded[2]!)).toEqual([
      "primary/mock-error-500:skipped-open:-",
      "backup/mock-gpt:ok:200",
    ]);
  });

  it("treats a thrown non-provider fault in one target as that target's failure", async () => {
    const spies = spyAdapters({
      chat: async (config, body, options) => {
        if (config.id === "primary") throw new TypeError("adapter bug");
        return (await import("~/providers/registry"))
          .getProviderAdapter("mock")!
          .chat(config, body, options);
      },
    });
    const g = routedGateway([RESILIENT], { adapters: spies.registry });
    const res = await g.post("/v1/chat/completions", { model: "resilient", messages: MESSAGES });
    expect(res.status).toBe(200);
    expect(g.recorded[0]!.attempts![0]).toMatchObject({
      outcome: "error",
      errorCode: "internal_error",
    });
  });

  it("passes a provider error's status through when the only target refuses the request", async () => {
    const spies = spyAdapters({
      chat: async () => {
        throw new ProviderError({
          message: "Invalid 'max_tokens'.",
          status: 400,
          param: "max_tokens",
          code: "invalid_value",
        });
      },
    });
    const g = routedGateway([route({ name: "one", targets: [{ model: "backup/mock-gpt" }] })], {
      adapters: spies.registry,
    });
    const res = await g.post("/v1/chat/completions", { model: "one", messages: MESSAGES });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ param: "max_tokens", code: "invalid_value" });
    expect(spies.seen).toHaveLength(1);
  });
});

describe("GET /v1/models lists routes", () => {
  it("lists the org's routes the key may call first, as switchyard-route, and hides the others", async () => {
    const routes = { forOrg: (orgId: string) => (orgId === "org_a" ? [RESILIENT] : []) };
    const directory = { listForOrg: () => PROVIDERS };
    const g = llmGateway(PROVIDERS, { routes, models: createProviderModelCatalog(directory, routes) });
    const list = async (secret: string) => {
      const res = await g.call("/v1/models", { headers: { authorization: `Bearer ${secret}` } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: { id: string; owned_by: string }[] }).data;
    };
    const all = await list(g.secret);
    expect(all[0]).toEqual({ id: "resilient", object: "model", created: 0, owned_by: "switchyard-route" });
    expect(all.map((m) => m.id)).toContain("backup/mock-gpt");

    const narrow = g.addKey({ orgId: "org_a", allowedModels: ["mock-gpt"] }).secret;
    expect((await list(narrow)).map((m) => m.id)).not.toContain("resilient");
    const routeOnly = g.addKey({ orgId: "org_a", allowedModels: ["resilient"] }).secret;
    expect((await list(routeOnly)).map((m) => m.id)).toEqual(["resilient"]);
  });
});
