import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as route from "~/app/v1/[...path]/route";
import { setDatabase, type DatabaseHandle } from "~/server/db";
import { requestLogs } from "~/server/db/schema";
import { shutdownGateway } from "~/server/gateway";
import { createTestDatabase } from "../helpers/db";
import { insertKey, insertOrg } from "./db-fixtures";
import { sseData } from "./llm-fakes";

// The production wiring (provider directory, request-log writer, org settings) through the Next
// mount, with the built-in mock provider (on outside production): no network involved.
let handle: DatabaseHandle;
let secret: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  setDatabase(handle);
  secret = (await insertKey(handle.db, await insertOrg(handle.db))).secret;
});
afterAll(async () => {
  await shutdownGateway();
  await handle.close();
});

const post = (body: unknown, id: string) =>
  route.POST(
    new Request("http://localhost:3000/v1/chat/completions", {
      method: "POST",
      headers: {
        authorization: `Bearer ${secret}`,
        "content-type": "application/json",
        "x-request-id": id,
      },
      body: JSON.stringify(body),
    }),
  );

describe("LLM requests through the Next mount and the real ports", () => {
  it("answers plain and streamed chats and writes their request logs", async () => {
    const plain = await post(
      { model: "mock/mock-gpt", messages: [{ role: "user", content: "via next" }] },
      "next-chat-1",
    );
    expect(plain.status).toBe(200);
    expect((await plain.json()).choices[0].message.content).toBe("via next");

    const streamed = await post(
      { model: "mock-gpt", stream: true, messages: [{ role: "user", content: "streamed" }] },
      "next-chat-2",
    );
    expect(streamed.status).toBe(200);
    expect(sseData(await streamed.text()).at(-1)).toBe("[DONE]");

    const missing = await post(
      { model: "no-such-model", messages: [{ role: "user", content: "x" }] },
      "next-chat-3",
    );
    expect(missing.status).toBe(404);

    // Shutdown flushes the writer: every request is in the database afterwards.
    await shutdownGateway();
    const rows = await handle.db.select().from(requestLogs).orderBy(requestLogs.clientRequestId);
    const mine = rows.filter((r) => r.clientRequestId?.startsWith("next-chat-"));
    expect(mine.map((r) => [r.clientRequestId, r.status, r.stream, r.providerId])).toEqual([
      ["next-chat-1", 200, false, "mock"],
      ["next-chat-2", 200, true, "mock"],
      ["next-chat-3", 404, false, null],
    ]);
    expect(mine[1]!.promptTokens).toBeGreaterThan(0);
    const [streamRow] = await handle.db
      .select()
      .from(requestLogs)
      .where(eq(requestLogs.clientRequestId, "next-chat-2"));
    expect(JSON.parse(streamRow!.responseBody!).choices[0].message.content).toBe("streamed");
  });
});
