import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDataDir, startServer, type ServerProcess } from "../http/server-process";
import { connectToServerDb, createKey, createOrg, startMockUpstream, type MockUpstream, type Sql } from "./harness";

/**
 * The official `openai` SDK calling routes (virtual models) declared in a config file, in front
 * of bench mock upstreams: a primary that fails (500s, too slow, or down) and a healthy backup.
 */

const dataDir = freshDataDir("sdk-routes");
let primary: MockUpstream;
let slow: MockUpstream;
let backup: MockUpstream;
let server: ServerProcess;
let sql: Sql;
let client: OpenAI;

const unique = (label: string) => `${label} ${Math.random().toString(36).slice(2, 10)}`;
const user = (content: string) => [{ role: "user" as const, content }];

beforeAll(async () => {
  [primary, slow, backup] = await Promise.all([
    startMockUpstream([], { MOCK_CHUNK_DELAY_MS: "2" }),
    startMockUpstream(["--latency", "3000"]),
    startMockUpstream([], { MOCK_CHUNK_DELAY_MS: "2" }),
  ]);
  const config = path.join(dataDir, "switchyard.yaml");
  writeFileSync(
    config,
    `providers:
  - id: primary
    type: openai-compatible
    baseURL: ${primary.url}
    apiKey: \${PRIMARY_KEY}
    models: [gpt-4o-mini, mock-error-500]
  - id: slow
    type: openai-compatible
    baseURL: ${slow.url}
    models: [gpt-4o-mini]
  - id: backup
    type: openai-compatible
    baseURL: ${backup.url}
    models: [gpt-4o-mini]
routes:
  - name: resilient
    strategy: fallback
    retry: { attempts: 1 }
    breaker: { failureThreshold: 2, windowMs: 60000, cooldownMs: 60000 }
    targets:
      - model: primary/gpt-4o-mini
      - model: backup/gpt-4o-mini
  - name: flaky
    strategy: fallback
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 }
    breaker: { failureThreshold: 2, windowMs: 60000, cooldownMs: 60000 }
    targets:
      - model: primary/mock-error-500
      - model: backup/gpt-4o-mini
  - name: patient
    strategy: fallback
    breaker: { failureThreshold: 1, windowMs: 60000, cooldownMs: 60000 }
    targets:
      - model: slow/gpt-4o-mini
        timeouts: { firstByteMs: 300 }
      - model: backup/gpt-4o-mini
`,
  );
  server = await startServer({
    dataDir,
    env: { SWITCHYARD_SERVE_CONSOLE: "0", SWITCHYARD_CONFIG: config, PRIMARY_KEY: "sk-primary" },
  });
  sql = connectToServerDb(dataDir);
  const orgId = await createOrg(sql);
  const { secret } = await createKey(sql, orgId);
  client = new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: secret, maxRetries: 0, timeout: 20_000 });
}, 180_000);

afterAll(async () => {
  await sql?.end({ timeout: 1 });
  if (server && server.child.exitCode === null) await server.stop("SIGTERM");
  await Promise.all([primary?.stop(), slow?.stop(), backup?.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

const served = (headers: Headers) => ({
  provider: headers.get("x-switchyard-provider"),
  model: headers.get("x-switchyard-model"),
  attempts: headers.get("x-switchyard-attempts"),
});

describe("routes through the openai SDK", () => {
  it("lists route names in models.list", async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining(["resilient", "flaky", "patient"]));
  });

  it("answers from the primary while it is healthy, streamed and not", async () => {
    const marker = unique("healthy");
    const { data, response } = await client.chat.completions
      .create({ model: "resilient", messages: user(marker) })
      .withResponse();
    expect(data.choices[0]!.message.content).toContain(marker.split(" ")[1]);
    expect(served(response.headers)).toEqual({ provider: "primary", model: "gpt-4o-mini", attempts: "1" });
    const { data: stream, response: streamed } = await client.chat.completions
      .create({ model: "resilient", messages: user(marker), stream: true })
      .withResponse();
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
    expect(text).toContain(marker.split(" ")[1]);
    expect(served(streamed.headers).provider).toBe("primary");
    expect((await primary.requests(marker)).length).toBe(2);
  });

  it("falls back past 500s, and its breaker then skips the failing target", async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const marker = unique(`flaky-${i}`);
      const { data, response } = await client.chat.completions
        .create({ model: "flaky", messages: user(marker) })
        .withResponse();
      answers.push({ served: served(response.headers), marker, content: data.choices[0]!.message.content });
    }
    for (const a of answers) {
      expect(a.served.provider).toBe("backup");
      expect(a.content).toContain(a.marker.split(" ")[1]);
    }
    // First request: 2 attempts on the primary (one retry), then the backup. Those two failures
    // in a row open the breaker: after that the primary is not called at all.
    expect(answers[0]!.served.attempts).toBe("3");
    const primaryCalls = await Promise.all(answers.map((a) => primary.requests(a.marker)));
    expect(primaryCalls.map((calls) => calls.length)).toEqual([2, 0, 0, 0]);
    expect(answers.slice(1).map((a) => a.served.attempts)).toEqual(["1", "1", "1"]);
  });

  it("moves on from a target slower than its first-byte timeout; later calls skip it at once", async () => {
    const first = Date.now();
    const marker = unique("slow");
    const { response } = await client.chat.completions
      .create({ model: "patient", messages: user(marker) })
      .withResponse();
    expect(served(response.headers).provider).toBe("backup");
    expect(Date.now() - first).toBeLessThan(2_500);
    // The breaker opened after that one slow attempt: no second slow request in the window.
    const again = Date.now();
    const { response: second } = await client.chat.completions
      .create({ model: "patient", messages: user(unique("slow-again")), stream: true })
      .withResponse();
    expect(served(second.headers)).toMatchObject({ provider: "backup", attempts: "1" });
    expect(Date.now() - again).toBeLessThan(1_000);
  });

  it("keeps answering while the primary is down, and never returns its failure", async () => {
    await primary.stop();
    for (const stream of [false, true]) {
      const marker = unique(`down-${stream}`);
      const { data, response } = await client.chat.completions
        .create({ model: "resilient", messages: user(marker), stream })
        .withResponse();
      expect(served(response.headers).provider).toBe("backup");
      if (stream) {
        let text = "";
        for await (const chunk of data as AsyncIterable<OpenAI.ChatCompletionChunk>) {
          text += chunk.choices[0]?.delta?.content ?? "";
        }
        expect(text).toContain(marker.split(" ")[1]);
      } else {
        expect((data as OpenAI.ChatCompletion).choices[0]!.message.content).toContain(marker.split(" ")[1]);
      }
    }
  });
});
