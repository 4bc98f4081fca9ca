import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createResponseCache, type ResponseCache } from "~/gateway/cache/response-cache";
import { cacheResponseHeaders, cacheLogStatus } from "~/gateway/cache/cache-outcome";
import { semanticPrompt } from "~/gateway/cache/semantic-prompt";
import {
  cosineSimilarity,
  embedLocal,
  LOCAL_EMBEDDER_ID,
  LOCAL_EMBEDDING_DIMENSIONS,
  localEmbedder,
} from "~/lib/embeddings/local-embedder";
import {
  createSemanticCacheStore,
  createSharedCacheStore,
} from "~/server/cache/response-cache/create-cache-stores";
import type { DatabaseHandle } from "~/server/db/client";
import { createTestDatabase } from "../helpers/db";
import { insertOrg } from "../gateway/db-fixtures";
import { answer, chatBody, completionText, fakeClock, recordingLogger } from "./helpers";

const NOW = Date.parse("2030-01-01T00:00:00Z");
const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

describe("local embedder", () => {
  it("is deterministic, 384-dimensional and unit length", async () => {
    const text = "How do I rotate an API key without downtime?";
    const a = embedLocal(text);
    const [b] = await localEmbedder.embed([text]);
    expect(a).toHaveLength(LOCAL_EMBEDDING_DIMENSIONS);
    expect(b).toEqual(a);
    expect(norm(a)).toBeCloseTo(1, 10);
    expect(localEmbedder.dimensions).toBe(384);
    expect(localEmbedder.id).toBe(LOCAL_EMBEDDER_ID);
  });

  it("ignores case, punctuation and spacing, scores near-duplicates high and unrelated texts low", () => {
    const base = embedLocal("What is the capital of France?");
    expect(cosineSimilarity(base, embedLocal("what is  the CAPITAL of France"))).toBeCloseTo(1, 10);
    const close = cosineSimilarity(base, embedLocal("What is the capital city of France?"));
    const far = cosineSimilarity(base, embedLocal("How do I bake sourdough bread?"));
    expect(close).toBeGreaterThan(0.8);
    expect(close).toBeLessThan(0.95);
    expect(far).toBeLessThan(0.3);
  });

  it("embeds a text without letters or digits to the zero vector", () => {
    expect(embedLocal("?! …").every((x) => x === 0)).toBe(true);
  });
});

describe("semanticPrompt", () => {
  const fp = (body: Record<string, unknown>, org = "org_a") =>
    semanticPrompt(org, "chat.completions", body)?.fingerprint;
  const ask = (content: unknown, extra: Record<string, unknown> = {}) =>
    chatBody({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content },
      ],
      ...extra,
    });

  it("embeds the last user turn and fingerprints everything else", () => {
    const prompt = semanticPrompt(
      "org_a",
      "chat.completions",
      ask("What is the capital of France?"),
    );
    expect(prompt?.text).toBe("What is the capital of France?");
    expect(fp(ask("What is the capital of France?"))).toBe(fp(ask("what's the capital of france")));
    expect(fp(ask("a"))).not.toBe(fp(ask("a"), "org_b"));
    expect(fp(ask("a"))).not.toBe(fp(ask("a", { temperature: 0.5 })));
    expect(fp(ask("a"))).not.toBe(fp(ask("a", { model: "other" })));
    expect(fp(ask("a"))).not.toBe(
      fp(
        chatBody({
          messages: [
            { role: "system", content: "Be verbose." },
            { role: "user", content: "a" },
          ],
        }),
      ),
    );
    expect(fp(ask("a"))).toBe(fp(ask("a", { user: "someone", stream: true })));
  });

  it("requires the numbers of the turn to be equal", () => {
    expect(fp(ask("What is 2+2?"))).not.toBe(fp(ask("What is 2+3?")));
    expect(fp(ask("Revenue in 2023"))).not.toBe(fp(ask("Revenue in 2024")));
    expect(fp(ask("Revenue in 2023"))).toBe(fp(ask("revenue for 2023")));
  });

  it("takes text parts, and leaves out requests it cannot compare", () => {
    expect(
      semanticPrompt(
        "o",
        "chat.completions",
        ask([
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ]),
      )?.text,
    ).toBe("a\nb");
    expect(
      semanticPrompt(
        "o",
        "chat.completions",
        ask([{ type: "image_url", image_url: { url: "https://x/y.png" } }]),
      ),
    ).toBeNull();
    expect(semanticPrompt("o", "chat.completions", ask("   "))).toBeNull();
    expect(
      semanticPrompt(
        "o",
        "chat.completions",
        chatBody({ messages: [{ role: "system", content: "x" }] }),
      ),
    ).toBeNull();
    expect(semanticPrompt("o", "embeddings", { model: "e", input: "x" })).toBeNull();
  });
});

describe("semantic cache on PGlite with pgvector", () => {
  let handle: DatabaseHandle;
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    handle = await createTestDatabase();
    expect(handle.vectorAvailable).toBe(true);
    orgA = await insertOrg(handle.db);
    orgB = await insertOrg(handle.db);
  });
  afterAll(async () => {
    await handle.close();
  });

  function engine(clock = fakeClock(NOW)): ResponseCache {
    return createResponseCache({
      l2: createSharedCacheStore({ database: handle }),
      semantic: {
        store: createSemanticCacheStore(handle),
        embed: localEmbedder.embed,
        embedderId: localEmbedder.id,
      },
      clock,
      logger: recordingLogger().logger,
    });
  }

  const ask = (
    orgId: string,
    question: string,
    threshold?: number,
    system = "You answer in one sentence.",
  ) => ({
    orgId,
    endpoint: "chat.completions" as const,
    body: chatBody({
      messages: [
        { role: "system", content: system },
        { role: "user", content: question },
      ],
    }),
    mode: "on" as const,
    ttlSeconds: 120,
    semantic: threshold === undefined ? {} : { threshold },
  });

  /** Stores an answer to `question` through one engine and waits for the shared writes. */
  async function seed(orgId: string, question: string, content: string, system?: string) {
    const writer = engine();
    const miss = await writer.lookup(ask(orgId, question, undefined, system));
    expect(miss.status).toBe("MISS");
    if (miss.status === "MISS") miss.store(answer(completionText(content)));
    await writer.flush();
  }

  it("reports itself available", () => {
    expect(engine().semanticAvailable).toBe(true);
  });

  it("answers a reworded prompt above the threshold, with its similarity", async () => {
    await seed(orgA, "What is the capital of France?", "Paris.");
    const hit = await engine().lookup(ask(orgA, "what is the capital of france"));
    expect(hit.status).toBe("HIT");
    if (hit.status !== "HIT") return;
    expect(hit.source).toBe("semantic");
    expect(hit.similarity).toBeGreaterThan(0.999);
    expect(hit.entry.body).toBe(completionText("Paris."));
    expect(cacheLogStatus(hit)).toBe("semantic_hit");
    expect(cacheResponseHeaders(hit)["x-switchyard-cache-similarity"]).toMatch(
      /^(0\.99\d\d|1\.0000)$/,
    );
  });

  it("misses below the threshold and hits when the threshold allows it", async () => {
    await seed(orgA, "Which planet is known as the red planet?", "Mars.");
    const question = "Which planet is known as the red one?";
    const expected = cosineSimilarity(
      embedLocal("Which planet is known as the red planet?"),
      embedLocal(question),
    );
    expect(expected).toBeGreaterThan(0.7);
    expect(expected).toBeLessThan(0.95);

    expect((await engine().lookup(ask(orgA, question))).status).toBe("MISS"); // default 0.95
    expect((await engine().lookup(ask(orgA, question, expected + 0.01))).status).toBe("MISS");
    const hit = await engine().lookup(ask(orgA, question, expected - 0.01));
    expect(hit.status).toBe("HIT");
    if (hit.status === "HIT") {
      expect(hit.entry.body).toBe(completionText("Mars."));
      expect(hit.similarity).toBeCloseTo(expected, 4);
    }
  });

  it("never matches another org's or another context's entries", async () => {
    await seed(orgA, "Who wrote Hamlet?", "Shakespeare.");
    expect((await engine().lookup(ask(orgB, "Who wrote Hamlet?", 0.5))).status).toBe("MISS");
    expect(
      (await engine().lookup(ask(orgA, "who wrote hamlet", 0.5, "You answer in French."))).status,
    ).toBe("MISS");
    expect((await engine().lookup(ask(orgA, "who wrote hamlet", 0.5))).status).toBe("HIT");
  });

  it("does no semantic matching for requests that did not opt in", async () => {
    await seed(orgA, "What is the boiling point of water at sea level?", "100 °C.");
    const plain = {
      ...ask(orgA, "what is the boiling point of water at sea level"),
      semantic: null,
    };
    expect((await engine().lookup(plain)).status).toBe("MISS");
  });

  it("finds its own org's neighbour among many closer rows of other orgs", async () => {
    const store = createSemanticCacheStore(handle);
    const prompt = semanticPrompt(
      orgA,
      "chat.completions",
      ask(orgA, "Name the largest ocean").body,
      localEmbedder.id,
    )!;
    const vector = embedLocal("Name the largest ocean");
    // Distinct vectors (the index keeps equal ones as one element), each far closer than ours.
    const nudged = (i: number) => {
      const v = [...vector];
      v[i % v.length]! += 0.001 * (1 + (i % 7));
      const n = norm(v);
      return v.map((x) => x / n);
    };
    await store.insertMany(
      Array.from({ length: 300 }, (_, i) => ({
        orgId: `org_noise_${i}`,
        fingerprint: prompt.fingerprint,
        key: `noise-${i}`,
        embedding: nudged(i),
        expiresAt: NOW + 60_000,
      })),
    );
    await store.insertMany([
      {
        orgId: orgA,
        fingerprint: prompt.fingerprint,
        key: "mine",
        embedding: embedLocal("Name the largest ocean please"),
        expiresAt: NOW + 60_000,
      },
    ]);
    const match = await store.nearest({
      orgId: orgA,
      fingerprint: prompt.fingerprint,
      embedding: vector,
      now: NOW,
    });
    expect(match?.key).toBe("mine");
    expect(
      await store.nearest({
        orgId: orgB,
        fingerprint: prompt.fingerprint,
        embedding: vector,
        now: NOW,
      }),
    ).toBeNull();

    // The same through the HNSW index alone (as on a large table): its first 40 candidates are
    // all other orgs' rows, and the scan must go on past them.
    const pg = handle.pglite!;
    await pg.exec("SET enable_sort = off; SET enable_seqscan = off; SET enable_bitmapscan = off;");
    try {
      const plan = await pg.query<{ "QUERY PLAN": string }>(
        `EXPLAIN SELECT cache_key FROM semantic_cache_entries WHERE org_id = $1 AND fingerprint = $2
         ORDER BY embedding <=> $3::vector LIMIT 1`,
        [orgA, prompt.fingerprint, JSON.stringify(vector)],
      );
      expect(plan.rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain(
        "semantic_cache_entries_hnsw_idx",
      );
      const viaIndex = await store.nearest({
        orgId: orgA,
        fingerprint: prompt.fingerprint,
        embedding: vector,
        now: NOW,
      });
      expect(viaIndex?.key).toBe("mine");
    } finally {
      await pg.exec("RESET enable_sort; RESET enable_seqscan; RESET enable_bitmapscan;");
    }
  });

  it("expires semantic rows with their entries and cleans them up", async () => {
    await seed(orgB, "What colour is the sky on a clear day?", "Blue.");
    const later = engine(fakeClock(NOW + 120_000));
    expect((await later.lookup(ask(orgB, "what colour is the sky on a clear day"))).status).toBe(
      "MISS",
    );
    const removed = await later.deleteExpired();
    expect(removed.semantic).toBeGreaterThanOrEqual(1);
    expect(removed.shared).toBeGreaterThanOrEqual(1);
  });

  it("refuses vectors of another width instead of storing them", async () => {
    const store = createSemanticCacheStore(handle);
    await expect(
      store.insertMany([
        { orgId: orgA, fingerprint: "f", key: "k", embedding: [1, 0, 0], expiresAt: NOW },
      ]),
    ).rejects.toThrow(/384/);
    await expect(
      store.nearest({ orgId: orgA, fingerprint: "f", embedding: [1, 0], now: NOW }),
    ).rejects.toThrow(/384/);
  });

  it("clears an org's semantic rows and leaves the other orgs'", async () => {
    await seed(orgA, "What is the tallest mountain on Earth?", "Everest.");
    await seed(orgB, "What is the tallest mountain on Earth?", "Everest.");
    const store = createSemanticCacheStore(handle);
    expect(await store.clearOrg(orgA)).toBe(1);
    // The exact entry is still there (asked word for word), the reworded question no longer matches.
    expect(
      (await engine().lookup(ask(orgA, "What is the tallest mountain on Earth?"))).status,
    ).toBe("HIT");
    expect((await engine().lookup(ask(orgA, "what is the tallest mountain on earth"))).status).toBe(
      "MISS",
    );
    expect((await engine().lookup(ask(orgB, "what is the tallest mountain on earth"))).status).toBe(
      "HIT",
    );
  });
});
