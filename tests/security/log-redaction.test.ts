import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { logger, setLogLevel } from "~/lib/logger";
import type { DatabaseHandle } from "~/server/db";
import { requestLogs } from "~/server/db/schema";
import { redactSecrets } from "~/server/request-log/redact-secrets";
import { createRequestLogWriter } from "~/server/request-log/request-log-writer";
import { createTestDatabase } from "../helpers/db";
import { makeOrg, type OrgFixture } from "../helpers/factories";
import { logEntry } from "../request-log/helpers";

// Secrets in stored request/response bodies are replaced by [REDACTED:<LABEL>] in the writer's
// batch, before the row is written (PGlite).

const OPENAI_KEY = "sk-proj-Xk3Lm9Qp2Rt7Vw4Yz8Ab1Cd5Ef6Gh0Ij";
const ANTHROPIC_KEY = `sk-ant-api03-${"aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7dE9f"}`;
const AWS_KEY_ID = "AKIAZ7QW3ERT5YUI2OPA";
const GITHUB_TOKEN = `ghp_${"Zx8Cv7Bn6Mq5Wa4Es3Rd2Tf1Gy9Hu8Ji7Ko6L"}`;
const JWT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
const PG_URL = "postgres://admin:S3cr3tPassw0rd@db.internal.example:5432/prod";
const SY_KEY = `sy-${"Q7w8E9r0T1y2U3i4O5p6A7s8D9f0G1h2J3k4L5z6X7c"}`;

let handle: DatabaseHandle;
let org: OrgFixture;

beforeAll(async () => {
  handle = await createTestDatabase();
  org = await makeOrg(handle.db);
});
afterAll(async () => {
  await handle.close();
});

describe("redactSecrets", () => {
  it.each([
    ["an OpenAI key", `use ${OPENAI_KEY} please`, "OPENAI_API_KEY", OPENAI_KEY],
    ["an Anthropic key", `key=${ANTHROPIC_KEY}`, "ANTHROPIC_API_KEY", ANTHROPIC_KEY],
    ["an AWS access key id", `aws ${AWS_KEY_ID} here`, "AWS_ACCESS_KEY_ID", AWS_KEY_ID],
    ["a GitHub token", `token ${GITHUB_TOKEN}`, "GITHUB_TOKEN", GITHUB_TOKEN],
    ["a JWT", `jwt: ${JWT}`, "JWT", JWT],
    ["a Switchyard key", `my key ${SY_KEY}`, "SWITCHYARD_API_KEY", SY_KEY],
  ])("replaces %s with its label", (_name, text, label, secret) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(`[REDACTED:${label}]`);
  });

  it("redacts the password of a connection string", () => {
    const out = redactSecrets(`connect to ${PG_URL}`);
    expect(out).not.toContain("S3cr3tPassw0rd");
    expect(out).toMatch(/\[REDACTED:[A-Z_]+\]/);
  });

  it("redacts Authorization header values quoted in a body", () => {
    const out = redactSecrets('{"headers":{"Authorization":"Bearer abcdef.ghijkl-123456"}}');
    expect(out).not.toContain("abcdef.ghijkl");
    expect(out).toContain("[REDACTED:");
  });

  it("leaves ordinary text alone", () => {
    const text = "The quick brown fox: sky-blue, task-oriented, 42 items at https://example.com/docs.";
    expect(redactSecrets(text)).toBe(text);
  });
});

describe("the request-log writer", () => {
  it("writes bodies, error messages and metadata with secrets replaced", async () => {
    const writer = createRequestLogWriter(handle.db, {
      settings: { get: () => ({ storeBodies: true }) },
      priceRequest: async () => ({ unpriced: true }) as never,
    });
    const entry = logEntry(org.org.id, {
      requestBody: JSON.stringify({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: `debug this: ${PG_URL} with ${OPENAI_KEY}` }],
      }),
      responseBody: JSON.stringify({ choices: [{ message: { content: `Your token is ${GITHUB_TOKEN}` } }] }),
      status: 502,
      errorMessage: `upstream said: invalid key ${ANTHROPIC_KEY}`,
      metadata: { team: "search", note: `key ${SY_KEY}` },
    });
    writer.record(entry);
    await writer.stop();
    const [row] = await handle.db.select().from(requestLogs).where(eq(requestLogs.id, entry.id));
    const stored = JSON.stringify(row);
    for (const secret of [OPENAI_KEY, GITHUB_TOKEN, ANTHROPIC_KEY, SY_KEY, "S3cr3tPassw0rd"]) {
      expect(stored).not.toContain(secret);
    }
    expect(row!.requestBody).toContain("[REDACTED:OPENAI_API_KEY]");
    expect(row!.responseBody).toContain("[REDACTED:GITHUB_TOKEN]");
    expect(row!.errorMessage).toContain("[REDACTED:ANTHROPIC_API_KEY]");
    expect(row!.metadata).toEqual({ team: "search", note: "key [REDACTED:SWITCHYARD_API_KEY]" });
    // Still valid JSON: placeholders replace the secret inside the string.
    expect(() => JSON.parse(row!.requestBody!) as unknown).not.toThrow();
  });
});

describe("the process logger", () => {
  it("never prints Authorization headers, provider keys or key-shaped strings", () => {
    setLogLevel("info");
    const lines: string[] = [];
    const spies = [
      vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line)),
      vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line)),
    ];
    try {
      logger.error(`upstream refused key ${OPENAI_KEY}`, {
        headers: { Authorization: `Bearer ${SY_KEY}`, "x-api-key": "plain-secret-value", accept: "json" },
        provider: { id: "openai", apiKey: "short-but-secret" },
        error: `401 from upstream: Incorrect API key provided: ${OPENAI_KEY}`,
        nested: [{ password: "hunter2hunter2" }],
        live: new Headers({ authorization: "Bearer abcdefghijkl" }),
      });
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const printed = lines.join("\n");
    expect(printed).toContain("upstream refused key");
    for (const secret of [OPENAI_KEY, SY_KEY, "plain-secret-value", "short-but-secret", "hunter2hunter2", "abcdefghijkl"]) {
      expect(printed).not.toContain(secret);
    }
    expect(printed).toContain('"accept":"json"');
    expect(printed).toContain('"id":"openai"');
  });
});
