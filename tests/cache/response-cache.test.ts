import { describe, expect, it } from "vitest";
import {
  createResponseCache,
  type CacheLookup,
  type ResponseCacheOptions,
} from "~/gateway/cache/response-cache";
import {
  answer,
  chatBody,
  completionText,
  fakeClock,
  memoryStore,
  recordingLogger,
} from "./helpers";

function engine(overrides: Partial<ResponseCacheOptions> = {}) {
  const clock = fakeClock();
  const { logger, lines } = recordingLogger();
  const cache = createResponseCache({ clock, logger, ...overrides });
  return { cache, clock, lines };
}

const request = (overrides: Record<string, unknown> = {}, org = "org_a") => ({
  orgId: org,
  endpoint: "chat.completions" as const,
  body: chatBody(overrides),
  mode: "on" as const,
  ttlSeconds: 60,
});

function expectMiss(lookup: CacheLookup): Extract<CacheLookup, { status: "MISS" }> {
  expect(lookup.status).toBe("MISS");
  return lookup as Extract<CacheLookup, { status: "MISS" }>;
}

describe("response cache (exact)", () => {
  it("answers the second identical request from memory, with the stored answer and its cost", async () => {
    const { cache } = engine();
    const first = expectMiss(await cache.lookup(request()));
    expect(first.store(answer())).toBe(true);

    const second = await cache.lookup(request({ user: "someone-else", stream: true }));
    expect(second.status).toBe("HIT");
    if (second.status !== "HIT") return;
    expect(second.source).toBe("memory");
    expect(second.similarity).toBeNull();
    expect(second.entry.body).toBe(completionText());
    expect(second.entry.meta).toMatchObject({
      endpoint: "chat.completions",
      providerId: "openai",
      servedModel: "gpt-4o-mini-2024-07-18",
      costMicros: 42n,
      finishReason: "stop",
    });
    expect(cache.stats()).toMatchObject({ misses: 1, stored: 1, hits: { memory: 1 } });
  });

  it("never serves one org's entry to another org, even for the same body", async () => {
    const { cache } = engine();
    expectMiss(await cache.lookup(request({}, "org_a"))).store(answer());
    expectMiss(await cache.lookup(request({}, "org_b")));
    expect((await cache.lookup(request({}, "org_a"))).status).toBe("HIT");
  });

  it("misses when a parameter that shapes the answer changes", async () => {
    const { cache } = engine();
    expectMiss(await cache.lookup(request())).store(answer());
    expectMiss(await cache.lookup(request({ temperature: 0.7 })));
    expectMiss(
      await cache.lookup(request({ tools: [{ type: "function", function: { name: "f" } }] })),
    );
  });

  it("bypasses with mode off, and `refresh` skips the lookup but replaces the entry", async () => {
    const { cache } = engine();
    expect(await cache.lookup({ ...request(), mode: "off" })).toEqual({
      status: "BYPASS",
      reason: "off",
    });
    expectMiss(await cache.lookup(request())).store(answer(completionText("old")));

    const refresh = expectMiss(await cache.lookup({ ...request(), mode: "refresh" }));
    refresh.store(answer(completionText("new")));
    const hit = await cache.lookup(request());
    expect(hit.status === "HIT" && hit.entry.body).toBe(completionText("new"));
  });

  it("bypasses a request it cannot key (nesting beyond any real request, or no TTL)", async () => {
    const { cache } = engine();
    let deep: unknown = "x";
    for (let i = 0; i < 1000; i++) deep = [deep];
    expect(await cache.lookup(request({ messages: deep }))).toEqual({
      status: "BYPASS",
      reason: "uncacheable",
    });
    expect(await cache.lookup({ ...request(), ttlSeconds: 0 })).toEqual({
      status: "BYPASS",
      reason: "uncacheable",
    });
    expect(await cache.lookup({ ...request(), ttlSeconds: Number.NaN })).toEqual({
      status: "BYPASS",
      reason: "uncacheable",
    });
  });

  it("stores only whole successful JSON answers", async () => {
    const { cache } = engine({ maxEntryChars: 1000 });
    expect(
      expectMiss(await cache.lookup(request({ seed: 1 }))).store(
        answer(completionText(), { finishReason: "error" }),
      ),
    ).toBe(false);
    expect(expectMiss(await cache.lookup(request({ seed: 2 }))).store(answer("not json"))).toBe(
      false,
    );
    expect(
      expectMiss(await cache.lookup(request({ seed: 3 }))).store(
        answer(completionText("x".repeat(2000))),
      ),
    ).toBe(false);
    const oneChoiceFailed = JSON.stringify({
      object: "chat.completion",
      choices: [
        { index: 0, message: { role: "assistant", content: "fine" }, finish_reason: "stop" },
        { index: 1, message: { role: "assistant", content: "" }, finish_reason: "error" },
      ],
    });
    expect(
      expectMiss(await cache.lookup(request({ seed: 5 }))).store(answer(oneChoiceFailed)),
    ).toBe(false);
    for (const seed of [1, 2, 3, 5])
      expect((await cache.lookup(request({ seed }))).status).toBe("MISS");
    // Text that merely mentions the words is no failure (quotes inside strings are escaped).
    const mentions = completionText('the log said "finish_reason":"error" once');
    expect(expectMiss(await cache.lookup(request({ seed: 6 }))).store(answer(mentions))).toBe(true);
    const ok = expectMiss(await cache.lookup(request({ seed: 4 })));
    expect(ok.store(answer())).toBe(true);
    expect(ok.store(answer())).toBe(false); // once only
  });

  it("keeps n>1 answers whole (every choice)", async () => {
    const { cache } = engine();
    const body = JSON.stringify({
      id: "c",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [0, 1, 2].map((i) => ({
        index: i,
        message: { role: "assistant", content: `answer ${i}` },
        finish_reason: "stop",
      })),
    });
    expectMiss(await cache.lookup(request({ n: 3 }))).store(answer(body));
    const hit = await cache.lookup(request({ n: 3 }));
    expect(
      hit.status === "HIT" && (JSON.parse(hit.entry.body) as { choices: unknown[] }).choices,
    ).toHaveLength(3);
  });

  it("expires memory entries with their TTL on the cache's clock", async () => {
    const { cache, clock } = engine();
    expectMiss(await cache.lookup({ ...request(), ttlSeconds: 30 })).store(answer());
    clock.advance(29_999);
    expect((await cache.lookup(request())).status).toBe("HIT");
    clock.advance(1);
    expect((await cache.lookup(request())).status).toBe("MISS");
  });

  it("evicts the least recently used entries beyond its byte bound", async () => {
    const { cache } = engine({ l1Bytes: 10_000 });
    const big = completionText("y".repeat(3000));
    for (const seed of [1, 2, 3, 4])
      expectMiss(await cache.lookup(request({ seed }))).store(answer(big));
    expect(cache.stats().l1.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.stats().l1.entries).toBe(2);
    expect((await cache.lookup(request({ seed: 1 }))).status).toBe("MISS");
    expect((await cache.lookup(request({ seed: 4 }))).status).toBe("HIT");
  });

  it("reads the shared tier on a memory miss (another instance's answer) and keeps it in memory", async () => {
    const l2 = memoryStore();
    const a = engine({ l2 });
    const b = engine({ l2 });
    expectMiss(await a.cache.lookup(request())).store(answer());
    expect(l2.rows.size).toBe(0); // written behind, not on the request's path
    await a.cache.flush();
    expect(l2.rows.size).toBe(1);

    const readsBefore = l2.gets;
    const hit = await b.cache.lookup(request());
    expect(hit.status === "HIT" && hit.source).toBe("shared");
    expect(l2.gets - readsBefore).toBe(1);
    const again = await b.cache.lookup(request());
    expect(again.status === "HIT" && again.source).toBe("memory");
    expect(l2.gets - readsBefore).toBe(1); // no round trip when memory answers
  });

  it("never serves an expired shared entry", async () => {
    const l2 = memoryStore();
    const a = engine({ l2 });
    expectMiss(await a.cache.lookup({ ...request(), ttlSeconds: 10 })).store(answer());
    await a.cache.flush();
    const b = engine({ l2 });
    b.clock.advance(10_000);
    expect((await b.cache.lookup(request())).status).toBe("MISS");
    expect(await b.cache.deleteExpired()).toEqual({ memory: 0, shared: 1, semantic: 0 });
  });

  it("treats a failing or slow shared tier as a miss and says so once in the log", async () => {
    const l2 = memoryStore();
    const { cache, lines } = engine({ l2, l2ReadTimeoutMs: 50 });
    l2.failReads = true;
    expect((await cache.lookup(request({ seed: 1 }))).status).toBe("MISS");
    expect((await cache.lookup(request({ seed: 2 }))).status).toBe("MISS");
    l2.failReads = false;
    l2.readDelayMs = 500;
    const started = Date.now();
    expect((await cache.lookup(request({ seed: 3 }))).status).toBe("MISS");
    expect(Date.now() - started).toBeLessThan(400);
    expect(cache.stats().l2ReadFailures).toBe(3);
    expect(lines.filter((l) => l.msg.includes("shared-store read failed"))).toHaveLength(1);
  });

  it("drops writes beyond its queue bound instead of growing or blocking", async () => {
    const l2 = memoryStore();
    const { cache } = engine({ l2, maxPendingWrites: 3 });
    for (const seed of [1, 2, 3, 4, 5])
      expectMiss(await cache.lookup(request({ seed }))).store(answer());
    expect(cache.stats().l2Writes).toMatchObject({ queued: 3, dropped: 2 });
    await cache.flush();
    expect(l2.rows.size).toBe(3);
    expect(cache.stats().l2Writes).toMatchObject({ queued: 0, written: 3, dropped: 2 });
  });

  it("clears one org's entries from every tier and leaves the others", async () => {
    const l2 = memoryStore();
    const { cache } = engine({ l2 });
    expectMiss(await cache.lookup(request({}, "org_a"))).store(answer());
    expectMiss(await cache.lookup(request({}, "org_b"))).store(answer());
    await cache.flush();
    await cache.clearOrg("org_a");
    expect((await cache.lookup(request({}, "org_a"))).status).toBe("MISS");
    expect((await cache.lookup(request({}, "org_b"))).status).toBe("HIT");
    expect([...l2.rows.values()].map((e) => e.orgId)).toEqual(["org_b"]);
  });

  it("caches embeddings answers", async () => {
    const { cache } = engine();
    const embed = {
      orgId: "org_a",
      endpoint: "embeddings" as const,
      body: { model: "e", input: "hi" },
      mode: "on" as const,
      ttlSeconds: 60,
    };
    const body = JSON.stringify({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2] }],
      model: "e",
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
    expectMiss(await cache.lookup(embed)).store(answer(body, { finishReason: null }));
    const hit = await cache.lookup(embed);
    expect(hit.status === "HIT" && hit.entry.body).toBe(body);
  });
});
