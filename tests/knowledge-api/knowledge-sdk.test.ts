import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import OpenAI, { NotFoundError, toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDataDir, startServer, type ServerProcess } from "../http/server-process";
import { connectToServerDb, createKey, createOrg, startMockUpstream, type MockUpstream, type Sql } from "../sdk/harness";

/**
 * Knowledge bases through the official `openai` SDK against a running Switchyard: files, vector
 * stores, ingestion to completion, hybrid search, retrieval-augmented chat with citations, bad
 * files, and another org's ids.
 */

const dataDir = freshDataDir("sdk-knowledge");
let upstream: MockUpstream;
let server: ServerProcess;
let sql: Sql;
let alice: OpenAI;
let bob: OpenAI;
let storeId: string;
let handbookId: string;

const HANDBOOK = `# Employee handbook

## Vacation

Every employee has twenty-five days of paid vacation per year. Vacation requests go to your manager at least two weeks ahead. Unused days carry over until the end of March of the following year.

## Expenses

Travel expenses are reimbursed within thirty days. Keep every receipt and submit the expense report through the finance portal before the end of the month. Meals are covered up to fifty euros per day while travelling.

## Password resets

To reset a forgotten password, open Settings, then Security, and choose "Reset password". The reset link arrives by email and expires after thirty minutes. If the link has expired, request a new one; IT support cannot see or recover your old password.

## Office hours

The office opens at eight and closes at seven on weekdays. On public holidays the building is closed and badges do not work.
`;

const ENGINEERING = `# Deployment guide

Deployments run from the main branch every weekday at ten. A failed deployment is rolled back automatically, and the on-call engineer is paged. Never deploy on Fridays after three.
`;

async function upload(client: OpenAI, name: string, content: string | Buffer) {
  return client.files.create({ file: await toFile(Buffer.from(content), name), purpose: "assistants" });
}

beforeAll(async () => {
  upstream = await startMockUpstream([], { MOCK_CHUNK_DELAY_MS: "1" });
  const config = path.join(dataDir, "switchyard.yaml");
  writeFileSync(
    config,
    `providers:
  - id: upstream
    type: openai-compatible
    baseURL: ${upstream.url}
    models: [gpt-4o-mini]
routes:
  - name: answer
    strategy: fallback
    targets:
      - model: upstream/gpt-4o-mini
`,
  );
  server = await startServer({
    dataDir,
    env: { SWITCHYARD_SERVE_CONSOLE: "0", SWITCHYARD_CONFIG: config, SWITCHYARD_MAX_FILE_MB: "1" },
    timeoutMs: 240_000,
  });
  sql = connectToServerDb(dataDir);
  const [orgA, orgB] = [await createOrg(sql), await createOrg(sql)];
  const options = { baseURL: `${server.baseUrl}/v1`, maxRetries: 0, timeout: 30_000 };
  alice = new OpenAI({ ...options, apiKey: (await createKey(sql, orgA)).secret });
  bob = new OpenAI({ ...options, apiKey: (await createKey(sql, orgB)).secret });
}, 300_000);

afterAll(async () => {
  await sql?.end({ timeout: 1 });
  if (server && server.child.exitCode === null) await server.stop("SIGTERM");
  await upstream?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("files", () => {
  it("uploads, lists, retrieves and deletes a file", async () => {
    const file = await upload(alice, "notes.txt", "A short note about nothing in particular.");
    expect(file).toMatchObject({ object: "file", filename: "notes.txt", bytes: 41, purpose: "assistants" });
    expect(file.id).toMatch(/^file-/);
    const listed = [];
    for await (const f of alice.files.list()) listed.push(f.id);
    expect(listed).toContain(file.id);
    expect((await alice.files.retrieve(file.id)).filename).toBe("notes.txt");
    expect(await alice.files.delete(file.id)).toMatchObject({ id: file.id, deleted: true });
    await expect(alice.files.retrieve(file.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses a file over the size limit with 413, and other purposes with 400", async () => {
    const big = Buffer.alloc(1024 * 1024 + 10, "a");
    await expect(upload(alice, "big.txt", big)).rejects.toMatchObject({ status: 413 });
    await expect(
      alice.files.create({ file: await toFile(Buffer.from("x"), "x.jsonl"), purpose: "fine-tune" }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe("vector stores", () => {
  it("ingests a file to completed and finds the expected passage first", async () => {
    const store = await alice.vectorStores.create({
      name: "Handbook",
      chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 100, chunk_overlap_tokens: 0 } },
    });
    storeId = store.id;
    expect(store).toMatchObject({ object: "vector_store", name: "Handbook", status: "completed" });
    handbookId = (await upload(alice, "handbook.md", HANDBOOK)).id;
    const added = await alice.vectorStores.files.createAndPoll(
      store.id,
      { file_id: handbookId, attributes: { team: "hr" } },
      { pollIntervalMs: 100 },
    );
    expect(added.status).toBe("completed");
    expect(added.last_error).toBeNull();
    const engineering = (await upload(alice, "deploy.md", ENGINEERING)).id;
    const second = await alice.vectorStores.files.createAndPoll(
      store.id,
      { file_id: engineering, attributes: { team: "eng" } },
      { pollIntervalMs: 100 },
    );
    expect(second.status).toBe("completed");

    const results = [];
    for await (const r of alice.vectorStores.search(store.id, { query: "How do I reset my password?" })) {
      results.push(r);
    }
    expect(results.length).toBeGreaterThan(0);
    expect(results[0]!.file_id).toBe(handbookId);
    expect(results[0]!.filename).toBe("handbook.md");
    expect(results[0]!.content[0]!.text).toContain("Reset password");
    expect(results[0]!.attributes).toEqual({ team: "hr" });

    const refreshed = await alice.vectorStores.retrieve(store.id);
    expect(refreshed.file_counts).toMatchObject({ completed: 2, total: 2, in_progress: 0 });
    expect(refreshed.usage_bytes).toBeGreaterThan(0);
  }, 60_000);

  it("applies attribute filters and max_num_results", async () => {
    const results = [];
    for await (const r of alice.vectorStores.search(storeId, {
      query: "deployment password vacation",
      filters: { type: "eq", key: "team", value: "eng" },
    })) {
      results.push(r);
    }
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.attributes?.team === "eng")).toBe(true);
    const one = await alice.vectorStores.search(storeId, { query: "vacation expenses office", max_num_results: 1 });
    expect(one.data).toHaveLength(1);
  });

  it("marks bad files failed with a reason, and leaves the other documents searchable", async () => {
    const bad = [
      { name: "empty.txt", content: "", code: "empty" },
      { name: "broken.pdf", content: "<html>Sign in to continue</html>", code: "corrupt" },
      { name: "data.xyz", content: "some bytes", code: "unsupported_type" },
    ];
    for (const { name, content, code } of bad) {
      const file = await upload(alice, name, content);
      const result = await alice.vectorStores.files.createAndPoll(storeId, { file_id: file.id }, { pollIntervalMs: 100 });
      expect(result.status, name).toBe("failed");
      expect(result.last_error?.message.length, name).toBeGreaterThan(10);
      expect((result as unknown as { switchyard: { error_code: string } }).switchyard.error_code, name).toBe(code);
      expect(result.last_error?.code).toBe(code === "unsupported_type" ? "unsupported_file" : "invalid_file");
    }
    const store = await alice.vectorStores.retrieve(storeId);
    expect(store.file_counts).toMatchObject({ completed: 2, failed: 3, total: 5 });
    const failed = [];
    for await (const f of alice.vectorStores.files.list(storeId, { filter: "failed" })) failed.push(f.id);
    expect(failed).toHaveLength(3);
    const results = await alice.vectorStores.search(storeId, { query: "reset password" });
    expect(results.data[0]!.file_id).toBe(handbookId);
  }, 60_000);

  it("refuses a store file for a file id that does not exist", async () => {
    await expect(alice.vectorStores.files.create(storeId, { file_id: "file-doesnotexist" })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("retrieval-augmented chat", () => {
  const headers = () => ({ "x-switchyard-knowledge": storeId });

  it("injects passages and returns citations in a JSON answer", async () => {
    const question = [{ role: "user" as const, content: "How do I reset my password?" }];
    const plain = await alice.chat.completions.create({ model: "upstream/gpt-4o-mini", messages: question });
    const { data, response } = await alice.chat.completions
      .create({ model: "upstream/gpt-4o-mini", messages: question }, { headers: headers() })
      .withResponse();
    // The mock's reply names a hash of every message it got: the passages changed them.
    expect(data.choices[0]!.message.content).not.toBe(plain.choices[0]!.message.content);
    const citations = (data as unknown as { switchyard: { citations: Array<{ index: number; file_id: string; text: string }> } })
      .switchyard.citations;
    expect(citations[0]).toMatchObject({ index: 1, file_id: handbookId });
    expect(citations[0]!.text).toContain("Reset password");
    expect(response.headers.get("x-switchyard-citations")).toContain(`${handbookId}#`);
  });

  it("sends the citations as the last event before [DONE] in a stream, through a route", async () => {
    const { data: stream, response } = await alice.chat.completions
      .create(
        { model: "answer", messages: [{ role: "user", content: "When does the password reset link expire?" }], stream: true },
        { headers: headers() },
      )
      .withResponse();
    const chunks: unknown[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1) as { choices: unknown[]; switchyard?: { citations: Array<{ file_id: string }> } };
    expect(last.choices).toEqual([]);
    expect(last.switchyard?.citations[0]?.file_id).toBe(handbookId);
    expect(chunks.slice(0, -1).every((c) => (c as { switchyard?: unknown }).switchyard === undefined)).toBe(true);
    expect(response.headers.get("x-switchyard-citations")).toContain(handbookId);
  });
});

describe("another org's ids", () => {
  it("answers 404 for the store, its files, its search and its knowledge header", async () => {
    await expect(bob.vectorStores.retrieve(storeId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.vectorStores.search(storeId, { query: "password" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.vectorStores.files.list(storeId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.vectorStores.files.retrieve(handbookId, { vector_store_id: storeId })).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.vectorStores.files.delete(handbookId, { vector_store_id: storeId })).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.vectorStores.delete(storeId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.files.retrieve(handbookId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(bob.files.delete(handbookId)).rejects.toBeInstanceOf(NotFoundError);
    const own = await bob.vectorStores.create({ name: "Bob's" });
    await expect(bob.vectorStores.files.create(own.id, { file_id: handbookId })).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      bob.chat.completions.create(
        { model: "upstream/gpt-4o-mini", messages: [{ role: "user", content: "password?" }] },
        { headers: { "x-switchyard-knowledge": storeId } },
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
    const bobs = [];
    for await (const s of bob.vectorStores.list()) bobs.push(s.id);
    expect(bobs).toEqual([own.id]);
    const bobFiles = [];
    for await (const f of bob.files.list()) bobFiles.push(f.id);
    expect(bobFiles).toEqual([]);
    // Alice's store is untouched.
    expect((await alice.vectorStores.retrieve(storeId)).file_counts.completed).toBe(2);
  });

  it("deleting a store removes its chunks", async () => {
    const store = await alice.vectorStores.create({ name: "Temporary", file_ids: [handbookId] });
    await alice.vectorStores.files.poll(store.id, handbookId, { pollIntervalMs: 100 });
    const before = await sql`select count(*)::int as n from knowledge_chunks where vector_store_id = ${store.id}`;
    expect(before[0]!.n).toBeGreaterThan(0);
    await alice.vectorStores.delete(store.id);
    const after = await sql`select count(*)::int as n from knowledge_chunks where vector_store_id = ${store.id}`;
    expect(after[0]!.n).toBe(0);
    await expect(alice.vectorStores.retrieve(store.id)).rejects.toBeInstanceOf(NotFoundError);
  }, 120_000);
});
