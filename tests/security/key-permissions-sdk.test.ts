import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDataDir, startServer, type ServerProcess } from "../http/server-process";
import {
  connectToServerDb,
  createOrg,
  eventually,
  startMockUpstream,
  type MockUpstream,
  type Sql,
} from "../sdk/harness";
import { deriveKeyHashSecret, displayParts, generateApiKey, hashApiKey } from "~/lib/api-key-secret";
import { newId } from "~/lib/ids";
import { TEST_ENCRYPTION_KEY } from "../http/server-process";

/**
 * Key-scoped permissions through the official `openai` SDK against a real server: a key limited
 * to some endpoint groups and models gets OpenAI-shaped 403s (PermissionDeniedError) elsewhere,
 * and the refusal is in the request log for the security view.
 */

const dataDir = freshDataDir("key-permissions");
let upstream: MockUpstream;
let server: ServerProcess;
let sql: Sql;
let orgId: string;

const hashSecret = deriveKeyHashSecret(TEST_ENCRYPTION_KEY);

async function keyWith(endpoints: string[] | null, models: string[] | null = null): Promise<OpenAI> {
  const secret = generateApiKey();
  const { prefix, last4 } = displayParts(secret);
  await sql`
    insert into api_keys (id, org_id, name, prefix, last4, hash, created_by_label, allowed_models, allowed_endpoints)
    values (${newId("key")}, ${orgId}, 'scoped', ${prefix}, ${last4}, ${hashApiKey(secret, hashSecret)}, 'test',
            ${models}, ${endpoints})`;
  return new OpenAI({ baseURL: `${server.baseUrl}/v1`, apiKey: secret, maxRetries: 0, timeout: 20_000 });
}

async function refusal(call: Promise<unknown>) {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "the call should have been refused").toBeInstanceOf(OpenAI.PermissionDeniedError);
  return err as InstanceType<typeof OpenAI.PermissionDeniedError>;
}

const chat = (client: OpenAI, model = "gpt-4o-mini") =>
  client.chat.completions.create({ model, messages: [{ role: "user", content: "hello" }] });

beforeAll(async () => {
  upstream = await startMockUpstream();
  server = await startServer({
    dataDir,
    env: {
      SWITCHYARD_SERVE_CONSOLE: "0",
      OPENAI_BASE_URL: upstream.url,
      OPENAI_API_KEY: "sk-instance",
      OPENAI_MODELS: "gpt-4o-mini,gpt-4o,text-embedding-3-small",
    },
  });
  sql = connectToServerDb(dataDir);
  orgId = await createOrg(sql);
}, 180_000);

afterAll(async () => {
  await sql?.end();
  await server?.stop();
  await upstream?.stop();
});

describe("key-scoped endpoints and models", () => {
  it("an unrestricted key calls every endpoint", async () => {
    const client = await keyWith(null);
    expect((await chat(client)).choices[0]!.message.content).toBeTruthy();
    const emb = await client.embeddings.create({ model: "text-embedding-3-small", input: "x" });
    expect(emb.data.length).toBe(1);
    expect((await client.models.list()).data.length).toBeGreaterThan(0);
  });

  it("an embeddings-only key is refused chat, completions and the model list with 403 endpoint_not_allowed", async () => {
    const client = await keyWith(["embeddings"]);
    const emb = await client.embeddings.create({ model: "text-embedding-3-small", input: "x" });
    expect(emb.data.length).toBe(1);

    const chatErr = await refusal(chat(client));
    expect(chatErr.status).toBe(403);
    expect(chatErr.code).toBe("endpoint_not_allowed");
    expect(chatErr.type).toBe("permission_error");
    expect(chatErr.message).toContain("chat completions");
    expect(chatErr.message).toContain("embeddings");

    const compErr = await refusal(client.completions.create({ model: "gpt-4o-mini", prompt: "hi" }));
    expect(compErr.code).toBe("endpoint_not_allowed");
    const modelsErr = await refusal(client.models.list());
    expect(modelsErr.code).toBe("endpoint_not_allowed");
  });

  it("endpoints and models combine: a chat key limited to one model", async () => {
    const client = await keyWith(["chat", "models"], ["gpt-4o-mini"]);
    expect((await chat(client)).choices.length).toBe(1);
    const other = await refusal(chat(client, "gpt-4o"));
    expect(other.code).toBe("model_not_allowed");
    const emb = await refusal(client.embeddings.create({ model: "text-embedding-3-small", input: "x" }));
    expect(emb.code).toBe("endpoint_not_allowed");
    const listed = await client.models.list();
    // The model as such and under its provider's name; nothing else.
    expect(listed.data.map((m) => m.id).sort()).toEqual(["gpt-4o-mini", "openai/gpt-4o-mini"]);
  });

  it("a key with an empty endpoint list may call nothing", async () => {
    const client = await keyWith([]);
    const err = await refusal(chat(client));
    expect(err.message).toContain("may call: nothing");
  });

  it("refusals are in the request log with status 403 and their code (never reaching the upstream)", async () => {
    const client = await keyWith(["models"]);
    const marker = `denied-${Math.random().toString(36).slice(2)}`;
    await refusal(
      client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: marker }] }),
    );
    const rows = await eventually(async () => {
      const found = await sql<{ status: number; error_code: string; endpoint: string }[]>`
        select status, error_code, endpoint from request_logs
        where org_id = ${orgId} and error_code = 'endpoint_not_allowed' and endpoint = 'chat.completions'`;
      return found.length > 0 ? found : null;
    });
    expect(rows[0]!.status).toBe(403);
    expect(await upstream.requests(marker)).toEqual([]);
  });
});
