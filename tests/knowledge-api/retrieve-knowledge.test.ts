import { describe, expect, it } from "vitest";
import type { KnowledgeBase, SearchInput, SearchResult } from "~/gateway/knowledge/types";
import { llmGateway, provider, sseData } from "../gateway/llm-fakes";

/** The retrieval step and the citations wrapper in the gateway core, with an in-memory knowledge port. */

const PASSAGE: SearchResult = {
  file_id: "file-abc",
  filename: "handbook.md",
  score: 1,
  attributes: null,
  content: [{ type: "text", text: "To reset a password, open Settings." }],
  switchyard: { chunk: 3, vector_score: 0.9, text_rank: 0.4 },
};

function fakeKnowledge() {
  const searches: Array<{ orgId: string; storeId: string; input: SearchInput }> = [];
  const unused = () => {
    throw new Error("not used here");
  };
  const kb: KnowledgeBase = {
    maxFileBytes: 1024,
    uploadFile: unused,
    listFiles: unused,
    getFile: unused,
    deleteFile: unused,
    createStore: unused,
    listStores: unused,
    getStore: unused,
    deleteStore: unused,
    addFile: unused,
    listStoreFiles: unused,
    getStoreFile: unused,
    deleteStoreFile: unused,
    async search(orgId, storeId, input) {
      searches.push({ orgId, storeId, input });
      return orgId === "org_a" && storeId === "vs_a" ? [PASSAGE] : null;
    },
  };
  return { kb, searches };
}

function setup() {
  const knowledge = fakeKnowledge();
  const gw = llmGateway([provider("mock", ["mock-gpt"])], { knowledge: knowledge.kb });
  return { ...gw, searches: knowledge.searches };
}

const chat = (stream = false) => ({
  model: "mock/mock-gpt",
  stream,
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "How do I reset my password?" },
  ],
});

describe("retrieve-knowledge step", () => {
  it("leaves requests without the header untouched", async () => {
    const gw = setup();
    const res = await gw.post("/v1/chat/completions", chat());
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-citations")).toBeNull();
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.switchyard).toBeUndefined();
    expect(gw.searches).toEqual([]);
    expect((gw.seen[0]!.body.messages as unknown[]).length).toBe(2);
  });

  it("injects numbered passages after the client's system message and cites them", async () => {
    const gw = setup();
    const res = await gw.post("/v1/chat/completions", chat(), { "x-switchyard-knowledge": "vs_a" });
    expect(res.status).toBe(200);
    expect(gw.searches[0]).toMatchObject({ orgId: "org_a", storeId: "vs_a", input: { query: "How do I reset my password?", maxResults: 5 } });
    const messages = gw.seen[0]!.body.messages as Array<{ role: string; content: string }>;
    expect(messages.map((m) => m.role)).toEqual(["system", "system", "user"]);
    expect(messages[0]!.content).toBe("Be brief.");
    expect(messages[1]!.content).toContain("[1] (handbook.md)\nTo reset a password, open Settings.");
    expect(res.headers.get("x-switchyard-citations")).toBe("file-abc#3");
    const body = (await res.json()) as { choices: unknown[]; switchyard: { citations: unknown[] } };
    expect(body.choices).toHaveLength(1);
    expect(body.switchyard.citations).toEqual([
      { index: 1, file_id: "file-abc", filename: "handbook.md", chunk: 3, score: 1, text: "To reset a password, open Settings." },
    ]);
  });

  it("sends the citations as the last event before [DONE] in a stream", async () => {
    const gw = setup();
    const res = await gw.post("/v1/chat/completions", chat(true), { "x-switchyard-knowledge": "vs_a" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-switchyard-citations")).toBe("file-abc#3");
    const events = sseData(await res.text());
    expect(events.at(-1)).toBe("[DONE]");
    const last = JSON.parse(events.at(-2)!) as { choices: unknown[]; switchyard: { citations: Array<{ file_id: string }> } };
    expect(last.choices).toEqual([]);
    expect(last.switchyard.citations[0]!.file_id).toBe("file-abc");
    expect(events.filter((e) => e.includes('"switchyard"'))).toHaveLength(1);
  });

  it("answers 404 for a store the org does not have, before calling any model", async () => {
    const gw = setup();
    const res = await gw.post("/v1/chat/completions", chat(), { "x-switchyard-knowledge": "vs_of_another_org" });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("vs_of_another_org");
    expect(gw.seen).toEqual([]);
  });

  it("refuses the header on other endpoints and without a user message", async () => {
    const gw = setup();
    const embeddings = await gw.post("/v1/embeddings", { model: "mock/mock-gpt", input: "x" }, { "x-switchyard-knowledge": "vs_a" });
    expect(embeddings.status).toBe(400);
    const noUser = await gw.post(
      "/v1/chat/completions",
      { model: "mock/mock-gpt", messages: [{ role: "system", content: "hi" }] },
      { "x-switchyard-knowledge": "vs_a" },
    );
    expect(noUser.status).toBe(400);
    expect(gw.seen).toEqual([]);
  });
});
