import { describe, expect, it } from "vitest";
import { createResponseCache } from "~/gateway/cache";
import { createLimitsEngine, createMemoryCounterStore } from "~/gateway/limits";
import { NO_LIMITS, type RequestLimits } from "~/gateway/limits/types";
import type { CachePolicy, GatewayPorts } from "~/gateway/ports";
import { routeDefinitionSchema } from "~/gateway/routing/route-schema";
import { llmGateway, provider, sseData } from "./llm-fakes";

// Limits and the response cache as the core wires them: which responses carry which headers,
// what reaches the provider, what the request log records, and a route's cache settings.

const MESSAGES = [{ role: "user", content: "Hello cost controls" }];
const silent = { warn() {}, error() {} };
const PROVIDERS = [provider("primary", ["mock-gpt"])];

function controlled(options: {
  limits?: RequestLimits;
  policy?: Partial<CachePolicy>;
  overrides?: Partial<GatewayPorts>;
}) {
  const policy: CachePolicy = { cacheDefault: "auto", ttlSeconds: 60, semantic: null, ...options.policy };
  return llmGateway(PROVIDERS, {
    cache: { cache: createResponseCache({ logger: silent }), policy: () => policy },
    limits: {
      directory: { forRequest: () => options.limits ?? NO_LIMITS },
      engine: createLimitsEngine({ store: createMemoryCounterStore(), logger: silent }),
    },
    pricing: async () => ({ costMicros: 25n, unpriced: false }),
    ...options.overrides,
  });
}

const flush = () => new Promise((r) => setTimeout(r, 20));

describe("the response cache in the core", () => {
  it("stores a temperature-0 answer, replays it buffered and streamed, and logs the hit at $0 with the saving", async () => {
    const g = controlled({});
    const body = { model: "mock-gpt", temperature: 0, messages: MESSAGES };
    const first = await g.post("/v1/chat/completions", body);
    expect(first.headers.get("x-switchyard-cache")).toBe("MISS");
    const answer = (await first.json()) as { choices: { message: { content: string } }[] };
    await flush();
    const again = await g.post("/v1/chat/completions", body);
    expect(again.headers.get("x-switchyard-cache")).toBe("HIT");
    expect(again.headers.get("x-switchyard-provider")).toBe("primary");
    expect(again.headers.get("x-switchyard-attempts")).toBe("0");
    expect(((await again.json()) as typeof answer).choices[0]!.message.content).toBe(
      answer.choices[0]!.message.content,
    );
    const streamed = await g.post("/v1/chat/completions", { ...body, stream: true });
    expect(streamed.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = sseData(await streamed.text());
    expect(events.at(-1)).toBe("[DONE]");
    const text = events
      .slice(0, -1)
      .map((e) => (JSON.parse(e) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? "")
      .join("");
    expect(text).toBe(answer.choices[0]!.message.content);
    // One provider call for three answers.
    expect(g.seen.filter((c) => c.method === "chat" || c.method === "chatStream")).toHaveLength(1);
    await flush();
    const hits = g.recorded.filter((e) => e.cacheStatus === "hit");
    expect(hits).toHaveLength(2);
    for (const hit of hits) {
      expect(hit.priced).toEqual({ costMicros: 0n, unpriced: false });
      expect(hit.savedMicros).toBe(25n);
      expect(hit.usage).toBeNull();
    }
    const miss = g.recorded.find((e) => e.cacheStatus === "miss")!;
    expect(miss.priced).toEqual({ costMicros: 25n, unpriced: false });
  });

  it("stores a streamed miss so a buffered request hits it", async () => {
    const g = controlled({});
    const body = { model: "mock-gpt", temperature: 0, messages: [{ role: "user", content: "stream first" }] };
    const streamed = await g.post("/v1/chat/completions", { ...body, stream: true });
    expect(streamed.headers.get("x-switchyard-cache")).toBe("MISS");
    await streamed.text();
    await flush();
    const buffered = await g.post("/v1/chat/completions", body);
    expect(buffered.headers.get("x-switchyard-cache")).toBe("HIT");
  });

  it("follows a route's own cache settings over the org's", async () => {
    const faq = routeDefinitionSchema.parse({
      name: "faq",
      targets: [{ model: "primary/mock-gpt" }],
      cache: { mode: "on", ttlSeconds: 30 },
    });
    const g = controlled({
      policy: { cacheDefault: "off" },
      overrides: { routes: { forOrg: () => [faq] } },
    });
    // No temperature and an org default of off: only the route's `on` caches it.
    const body = { model: "faq", messages: MESSAGES };
    expect((await g.post("/v1/chat/completions", body)).headers.get("x-switchyard-cache")).toBe("MISS");
    await flush();
    expect((await g.post("/v1/chat/completions", body)).headers.get("x-switchyard-cache")).toBe("HIT");
    const direct = { model: "mock-gpt", messages: MESSAGES };
    expect((await g.post("/v1/chat/completions", direct)).headers.get("x-switchyard-cache")).toBe(
      "BYPASS",
    );
  });

  it("does not store a failed answer", async () => {
    const g = llmGateway(PROVIDERS, {
      cache: {
        cache: createResponseCache({ logger: silent }),
        policy: () => ({ cacheDefault: "on", ttlSeconds: 60, semantic: null }),
      },
    });
    const body = { model: "mock-error-500", messages: MESSAGES };
    g.providers.set("org_a", [provider("primary", ["mock-gpt", "mock-error-500"])]);
    expect((await g.post("/v1/chat/completions", body)).status).toBe(502);
    await flush();
    const again = await g.post("/v1/chat/completions", body);
    expect(again.status).toBe(502);
    expect(again.headers.get("x-switchyard-cache")).toBe("MISS");
  });
});

describe("rate limits in the core", () => {
  it("puts OpenAI's rate-limit headers on answers and refusals, and refuses before the provider", async () => {
    const g = controlled({
      limits: { ...NO_LIMITS, key: { rpm: 2, tpm: null, rpd: null, concurrent: null } },
    });
    const ask = () => g.post("/v1/chat/completions", { model: "mock-gpt", messages: MESSAGES });
    const a = await ask();
    const b = await ask();
    const c = await ask();
    expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
    expect(a.headers.get("x-ratelimit-remaining-requests")).toBe("1");
    expect(c.headers.get("x-ratelimit-limit-requests")).toBe("2");
    expect(Number(c.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await c.json()) as { error: { code: string } }).error.code).toBe("rate_limit_exceeded");
    expect(g.seen.filter((call) => call.method === "chat")).toHaveLength(2);
    await flush();
    expect(g.recorded.map((e) => e.status)).toEqual([200, 200, 429]);
  });

  it("refuses an unpriced model under a hard budget", async () => {
    const g = controlled({
      limits: {
        ...NO_LIMITS,
        budgets: [
          {
            id: "bud_1",
            scope: "org",
            keyId: null,
            amountMicros: 1_000_000,
            period: "monthly",
            hard: true,
            alertThresholds: [],
          },
        ],
        allowUnpriced: false,
      },
      overrides: { pricing: async () => ({ costMicros: null, unpriced: true }) },
    });
    const res = await g.post("/v1/chat/completions", { model: "mock-gpt", messages: MESSAGES });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("budget_exceeded");
    expect(g.seen).toHaveLength(0);
  });
});
