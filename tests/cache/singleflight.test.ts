import { describe, expect, it } from "vitest";
import {
  createResponseCache,
  type CacheLookup,
  type ResponseCacheOptions,
} from "~/gateway/cache/response-cache";
import { Singleflight } from "~/gateway/cache/singleflight";
import { answer, chatBody, fakeClock, memoryStore, recordingLogger } from "./helpers";

const request = {
  orgId: "org_a",
  endpoint: "chat.completions" as const,
  body: chatBody(),
  mode: "on" as const,
  ttlSeconds: 60,
};

function engine(overrides: Partial<ResponseCacheOptions> = {}) {
  return createResponseCache({
    clock: fakeClock(),
    logger: recordingLogger().logger,
    ...overrides,
  });
}

type Miss = Extract<CacheLookup, { status: "MISS" }>;

/** Starts `n` lookups at once; resolves when every one that is not waiting on a leader returned. */
async function concurrent(
  cache: ReturnType<typeof engine>,
  n: number,
  extra: Record<string, unknown> = {},
) {
  const results: (CacheLookup | undefined)[] = Array.from({ length: n }, () => undefined);
  const pending = Array.from({ length: n }, (_, i) =>
    cache.lookup({ ...request, ...extra }).then((r) => (results[i] = r)),
  );
  // Let every lookup reach its decision (leader: returned MISS; followers: waiting).
  await new Promise((r) => setTimeout(r, 20));
  return { results, all: Promise.all(pending) };
}

describe("singleflight", () => {
  it("makes one leader for 20 concurrent identical lookups; the followers get its answer", async () => {
    const l2 = memoryStore();
    const cache = engine({ l2 });
    const { results, all } = await concurrent(cache, 20);
    const leaders = results.filter((r) => r?.status === "MISS") as Miss[];
    expect(leaders).toHaveLength(1);
    expect(results.filter((r) => r === undefined)).toHaveLength(19); // still waiting
    expect(l2.gets).toBe(1); // only the leader read the shared tier

    leaders[0]!.store(answer());
    await all;
    const hits = results.filter((r) => r?.status === "HIT");
    expect(hits).toHaveLength(19);
    for (const hit of hits) expect(hit?.status === "HIT" && hit.source).toBe("inflight");
    expect(cache.stats()).toMatchObject({ misses: 1, hits: { inflight: 19 }, inflight: 0 });
  });

  it("sends the followers to their own calls when the leader fails (they do not inherit its error)", async () => {
    const cache = engine();
    const { results, all } = await concurrent(cache, 20);
    const leader = results.find((r) => r?.status === "MISS") as Miss;
    leader.release();
    await all;
    expect(results.filter((r) => r?.status === "MISS")).toHaveLength(20);
    // A follower's own call may store: the next request hits.
    (results.find((r) => r !== leader && r?.status === "MISS") as Miss).store(answer());
    expect((await cache.lookup(request)).status).toBe("HIT");
  });

  it("treats a leader's answer that cannot be stored like a failure", async () => {
    const cache = engine();
    const { results, all } = await concurrent(cache, 5);
    const leader = results.find((r) => r?.status === "MISS") as Miss;
    expect(leader.store(answer(undefined, { finishReason: "error" }))).toBe(false);
    await all;
    expect(results.every((r) => r?.status === "MISS")).toBe(true);
  });

  it("bounds the wait: followers of a leader that never settles call upstream themselves", async () => {
    const clock = fakeClock();
    const cache = engine({ clock, singleflight: { maxWaitMs: 100 } });
    const leader = (await cache.lookup(request)) as Miss;
    expect(leader.status).toBe("MISS");
    const started = Date.now();
    const follower = await cache.lookup(request);
    expect(follower.status).toBe("MISS");
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    // Once the wait is over the key is free: a new request leads instead of waiting.
    clock.advance(100);
    const next = await cache.lookup(request);
    expect(next.status).toBe("MISS");
    leader.store(answer()); // late, but still cached
    expect((await cache.lookup(request)).status).toBe("HIT");
  });

  it("streaming followers wait for the leader and get its answer to replay by default", async () => {
    const cache = engine();
    const { results, all } = await concurrent(cache, 3, { stream: true });
    const leader = results.find((r) => r?.status === "MISS") as Miss;
    expect(results.filter((r) => r === undefined)).toHaveLength(2);
    leader.store(answer());
    await all;
    expect(results.filter((r) => r?.status === "HIT")).toHaveLength(2);
  });

  it("streaming followers call upstream at once with streamFollowers: call", async () => {
    const cache = engine({ singleflight: { streamFollowers: "call" } });
    const leader = (await cache.lookup(request)) as Miss;
    const streaming = await cache.lookup({ ...request, stream: true });
    expect(streaming.status).toBe("MISS");
    // A buffered follower still waits.
    let buffered: CacheLookup | undefined;
    const pending = cache.lookup(request).then((r) => (buffered = r));
    await new Promise((r) => setTimeout(r, 10));
    expect(buffered).toBeUndefined();
    leader.store(answer());
    await pending;
    expect(buffered?.status).toBe("HIT");
  });

  it("runs identical requests of different orgs independently", async () => {
    const cache = engine();
    const a = await cache.lookup(request);
    const b = await cache.lookup({ ...request, orgId: "org_b" });
    expect([a.status, b.status]).toEqual(["MISS", "MISS"]);
  });
});

describe("Singleflight", () => {
  it("resolves every follower with the leader's value and frees the key", async () => {
    const flights = new Singleflight<string>({ maxWaitMs: 1000, now: () => 0 });
    const leader = flights.join("k");
    const a = flights.join("k");
    const b = flights.join("k");
    expect([leader.role, a.role, b.role]).toEqual(["leader", "follower", "follower"]);
    if (leader.role !== "leader" || a.role !== "follower" || b.role !== "follower") return;
    leader.settle("v");
    leader.settle("ignored");
    expect(await Promise.all([a.wait, b.wait])).toEqual(["v", "v"]);
    expect(flights.size).toBe(0);
    expect(flights.join("k").role).toBe("leader");
  });

  it("sweeps leaders that never settled once their wait is over, so forgotten flights stay bounded", () => {
    let now = 0;
    const flights = new Singleflight<string>({ maxWaitMs: 100, now: () => now, sweepAbove: 10 });
    for (let i = 0; i < 10; i++) flights.join(`lost-${i}`);
    expect(flights.size).toBe(10);
    now = 100;
    flights.join("fresh");
    expect(flights.size).toBe(1);
    expect(flights.has("fresh")).toBe(true);
    expect(flights.has("lost-0")).toBe(false);
  });
});
