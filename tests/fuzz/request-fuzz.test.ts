import { rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import { llmGateway, provider } from "../gateway/llm-fakes";
import { freshDataDir, startServer, type ServerProcess } from "../http/server-process";
import {
  connectToServerDb,
  createKey,
  createOrg,
  startMockUpstream,
  type MockUpstream,
} from "../sdk/harness";

/**
 * Hostile and random request bodies: the answer is always a 4xx in OpenAI's error shape or a
 * proper success — never a 5xx, never a hang — and the server keeps serving afterwards.
 */

// ------------------------------------------------------------------------------ arbitraries

const junk = fc.jsonValue({ maxDepth: 3 });
const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: arb }, { weight: 1, arbitrary: junk });

const part = fc.oneof(
  fc.record({ type: fc.constant("text"), text: maybe(fc.string()) }),
  fc.record({ type: fc.constant("image_url"), image_url: maybe(fc.record({ url: fc.webUrl() })) }),
  junk,
);
const message = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      {
        role: maybe(fc.constantFrom("user", "system", "assistant", "tool", "developer", "wizard")),
        content: maybe(fc.oneof(fc.string(), fc.constant(null), fc.array(part, { maxLength: 3 }))),
        tool_call_id: fc.string(),
        name: fc.string(),
      },
      { requiredKeys: ["role"] },
    ),
  },
  { weight: 1, arbitrary: junk },
);
const tool = fc.record({
  type: maybe(fc.constant("function")),
  function: maybe(
    fc.record({ name: maybe(fc.stringMatching(/^[a-z_]{1,12}$/)), parameters: junk }),
  ),
});

function chatBody(models: string[]) {
  return fc.record(
    {
      model: maybe(fc.constantFrom(...models)),
      messages: maybe(fc.array(message, { maxLength: 4 })),
      stream: maybe(fc.boolean()),
      stream_options: maybe(fc.record({ include_usage: maybe(fc.boolean()) })),
      n: maybe(fc.integer({ min: -1, max: 4 })),
      max_tokens: maybe(
        fc.oneof(fc.integer({ min: -5, max: 50 }), fc.double(), fc.constant(1e308)),
      ),
      temperature: maybe(fc.double({ noNaN: true })),
      seed: maybe(fc.integer()),
      user: maybe(fc.string()),
      tools: maybe(fc.array(tool, { maxLength: 3 })),
      tool_choice: maybe(
        fc.oneof(
          fc.constantFrom("auto", "none", "required"),
          fc.record({ type: fc.constant("function"), function: fc.record({ name: fc.string() }) }),
        ),
      ),
      response_format: maybe(
        fc.oneof(
          fc.record({ type: fc.constantFrom("text", "json_object") }),
          fc.record({
            type: fc.constant("json_schema"),
            json_schema: fc.record({ name: fc.string(), schema: junk }),
          }),
        ),
      ),
      logprobs: maybe(fc.boolean()),
      extra_field: junk,
    },
    { requiredKeys: [] },
  );
}

function embeddingsBody(models: string[]) {
  return fc.record(
    {
      model: maybe(fc.constantFrom(...models)),
      input: maybe(
        fc.oneof(
          fc.string(),
          fc.array(fc.string(), { maxLength: 4 }),
          fc.array(fc.nat({ max: 50000 }), { maxLength: 4 }),
        ),
      ),
      dimensions: maybe(fc.integer({ min: -1, max: 4000 })),
      encoding_format: maybe(fc.constantFrom("float", "base64", "hex")),
    },
    { requiredKeys: [] },
  );
}

/** Any body at all: structured bodies, random JSON, random text, random bytes. */
function anyBody(models: string[]): fc.Arbitrary<{ path: string; body: string | Uint8Array }> {
  const structured = fc.oneof(
    chatBody(models).map((b) => ({ path: "/v1/chat/completions", body: JSON.stringify(b) })),
    embeddingsBody(models).map((b) => ({ path: "/v1/embeddings", body: JSON.stringify(b) })),
    chatBody(models).map((b) => ({
      path: "/v1/completions",
      body: JSON.stringify({ ...b, prompt: b.messages }),
    })),
  );
  const path = fc.constantFrom("/v1/chat/completions", "/v1/embeddings", "/v1/completions");
  return fc.oneof(
    { weight: 6, arbitrary: structured },
    {
      weight: 1,
      arbitrary: fc.record({ path, body: fc.jsonValue().map((v) => JSON.stringify(v)) }),
    },
    { weight: 1, arbitrary: fc.record({ path, body: fc.string() }) },
    { weight: 1, arbitrary: fc.record({ path, body: fc.uint8Array({ maxLength: 256 }) }) },
  );
}

/** Checks an answer: a success, or a 4xx with OpenAI's error shape. Returns the status. */
async function checkAnswer(res: Response): Promise<number> {
  const text = await res.text();
  expect(res.status, text.slice(0, 500)).toBeLessThan(500);
  if (res.status >= 400) {
    const body = JSON.parse(text) as {
      error: { message: unknown; type: unknown; param: unknown; code: unknown };
    };
    expect(typeof body.error.message).toBe("string");
    expect(typeof body.error.type).toBe("string");
    expect(body.error).toHaveProperty("param");
    expect(body.error).toHaveProperty("code");
  } else if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
    const last = text.trim().split("\n\n").at(-1)!;
    expect(last === "data: [DONE]" || last.includes('"upstream_stream_error"'), last).toBe(true);
  } else {
    JSON.parse(text);
  }
  return res.status;
}

// ------------------------------------------------------------------------------ in process

describe("fuzzing the gateway core (in process, mock provider)", () => {
  it(
    "answers every random body with a success or an OpenAI-shaped 4xx",
    { timeout: 120_000 },
    async () => {
      const g = llmGateway([provider("mock", ["mock-gpt", "mock-embed"])]);
      await fc.assert(
        fc.asyncProperty(
          anyBody(["mock-gpt", "mock-embed", "mock/mock-gpt", "mock/other", "nope", ""]),
          async ({ path, body }) => {
            await checkAnswer(await g.post(path, body as BodyInit));
          },
        ),
        { numRuns: 400 },
      );
      // Every request that passed authentication was recorded exactly once.
      expect(g.recorded.length).toBe(400);
    },
  );
});

// ------------------------------------------------------------------------------ over HTTP

describe("fuzzing a running server (real HTTP, bench mock upstream)", () => {
  const dataDir = freshDataDir("fuzz");
  let mock: MockUpstream;
  let server: ServerProcess;
  let secret: string;

  beforeAll(async () => {
    mock = await startMockUpstream();
    server = await startServer({
      dataDir,
      env: {
        SWITCHYARD_SERVE_CONSOLE: "0",
        OPENAI_BASE_URL: mock.url,
        OPENAI_API_KEY: "sk-mock-upstream",
      },
    });
    const sql = connectToServerDb(dataDir);
    ({ secret } = await createKey(sql, await createOrg(sql)));
    await sql.end({ timeout: 1 });
  }, 180_000);

  afterAll(async () => {
    await closeUpstreamPools();
    if (server && server.child.exitCode === null) await server.stop("SIGTERM");
    await mock?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const send = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${secret}`,
        "content-type": "application/json",
        ...headers,
      },
      body,
      signal: AbortSignal.timeout(15_000),
    });

  const deep = (depth: number) =>
    `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"extra":${"[".repeat(depth)}${"]".repeat(depth)}}`;

  const nasties: [string, () => BodyInit, number | null][] = [
    ["5 MB of junk", () => "\u0001junk!".repeat(900_000), 400],
    [
      "invalid UTF-8 bytes",
      () => new Uint8Array([0x7b, 0x22, 0x6d, 0x22, 0x3a, 0xc3, 0x28, 0xff, 0xfe, 0x7d]),
      400,
    ],
    ["10k-deep nesting", () => deep(10_000), 400],
    [
      "10k-deep nesting in a stream request",
      () => deep(10_000).replace('{"model"', '{"stream":true,"model"'),
      400,
    ],
    [
      "10k-deep nesting in messages",
      () =>
        `{"model":"gpt-4o-mini","messages":[{"role":"user","content":${"[".repeat(10_000)}${"]".repeat(10_000)}}]}`,
      400,
    ],
    [
      "a body over 10 MB",
      () =>
        JSON.stringify({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: "y".repeat(11 * 1024 * 1024) }],
        }),
      413,
    ],
    [
      "wrong types everywhere",
      () => JSON.stringify({ model: ["gpt"], messages: { role: "user" }, stream: "true", n: "2" }),
      400,
    ],
    ["empty messages", () => JSON.stringify({ model: "gpt-4o-mini", messages: [] }), 400],
    [
      "huge numbers",
      () =>
        '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"max_tokens":1e400,"temperature":-1e999}',
      400,
    ],
    [
      "a huge integer n",
      () =>
        JSON.stringify({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: "x" }],
          n: 1e300,
        }),
      400,
    ],
    [
      "prototype keys",
      () =>
        '{"__proto__":{"admin":true},"constructor":{"prototype":{}},"model":"gpt-4o-mini","messages":[]}',
      400,
    ],
    [
      "raw NUL bytes (not valid JSON)",
      () => '{"model":"gpt-4o-mini\u0000","messages":[{"role":"user","content":"\u0000"}]}',
      400,
    ],
    [
      "escaped NULs in the model name",
      () => '{"model":"gpt-4o-mini\\u0000","messages":[{"role":"user","content":"\\u0000"}]}',
      404,
    ],
    [
      "a 100k-character model name",
      () =>
        JSON.stringify({ model: "m".repeat(100_000), messages: [{ role: "user", content: "x" }] }),
      400,
    ],
    ["a JSON array", () => "[]", 400],
    ["a bare null", () => "null", 400],
    ["an empty body", () => "", 400],
    [
      "a lone surrogate",
      () =>
        '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"\\ud800"}],"stream":true}',
      null,
    ],
  ];

  for (const [name, body, status] of nasties) {
    it(`handles ${name}`, { timeout: 30_000 }, async () => {
      const res = await send("/v1/chat/completions", body());
      const got = await checkAnswer(res);
      if (status !== null) expect(got).toBe(status);
    });
  }

  it(
    "handles a multipart body, a chunked body and a metadata header that is too big",
    { timeout: 30_000 },
    async () => {
      const form = new FormData();
      form.set("model", "gpt-4o-mini");
      const multipart = await fetch(`${server.baseUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}` },
        body: form,
      });
      expect(multipart.headers.get("content-type")).toBe("application/json");
      expect(await checkAnswer(multipart)).toBe(400);
      const bytes = new TextEncoder().encode(
        JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "chunked" }] }),
      );
      const chunked = await fetch(`${server.baseUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}` },
        body: new ReadableStream({
          start(c) {
            c.enqueue(bytes.subarray(0, 10));
            c.enqueue(bytes.subarray(10));
            c.close();
          },
        }),
        duplex: "half",
      } as RequestInit);
      expect(await checkAnswer(chunked)).toBe(200);
      const meta = await send(
        "/v1/chat/completions",
        JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "x" }] }),
        {
          "x-switchyard-metadata": JSON.stringify({ k: "v".repeat(5000) }),
        },
      );
      expect(await checkAnswer(meta)).toBe(400);
    },
  );

  it(
    "survives a client that declares a body and then disappears",
    { timeout: 30_000 },
    async () => {
      await new Promise<void>((resolve) => {
        const socket = connect(server.port, "127.0.0.1", () => {
          socket.write(
            `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${secret}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"model":`,
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 100);
        });
        socket.on("error", () => resolve());
      });
      // And one that aborts while waiting for an answer.
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${server.baseUrl}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        });
        req.on("error", () => resolve());
        req.end(
          JSON.stringify({
            model: "mock-long-stream",
            stream: true,
            messages: [{ role: "user", content: "x" }],
          }),
        );
        req.on("response", (res) => {
          res.once("data", () => {
            req.destroy();
            resolve();
          });
        });
      });
      const ok = await send(
        "/v1/chat/completions",
        JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "alive?" }] }),
      );
      expect(ok.status).toBe(200);
    },
  );

  it(
    "answers random bodies with a success or an OpenAI-shaped 4xx",
    { timeout: 240_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          anyBody([
            "gpt-4o-mini",
            "openai/gpt-4o-mini",
            "text-embedding-3-small",
            "openai/text-embedding-3-small",
            "gpt-4o-mini-nope",
            "openai/",
          ]),
          async ({ path, body }) => {
            await checkAnswer(await send(path, body as BodyInit));
          },
        ),
        { numRuns: 200 },
      );
    },
  );

  it("keeps serving afterwards", async () => {
    const res = await send(
      "/v1/chat/completions",
      JSON.stringify({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "still alive" }],
      }),
    );
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message
        .content,
    ).toContain("still alive");
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).not.toMatch(/unhandled|FATAL|Maximum call stack/i);
  });
});
