import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { freshDataDir, startServer, type ServerProcess } from "../http/server-process";
import {
  connectToServerDb,
  createKey,
  createOrg,
  eventually,
  startMockUpstream,
  type MockUpstream,
} from "./harness";

/**
 * Graceful shutdown with a stream in flight: SIGTERM stops new connections, lets the stream
 * finish (within the deadline), writes its request log, and exits 0.
 */
const dataDir = freshDataDir("sdk-shutdown");
let mock: MockUpstream | undefined;
const servers: ServerProcess[] = [];

afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) await s.stop("SIGKILL");
  await mock?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("graceful shutdown", () => {
  it(
    "finishes an in-flight stream on SIGTERM and keeps its request log",
    { timeout: 240_000 },
    async () => {
      mock = await startMockUpstream([], { MOCK_LONG_STREAM_CHUNKS: "60" });
      const env = {
        SWITCHYARD_SERVE_CONSOLE: "0",
        OPENAI_BASE_URL: mock.url,
        OPENAI_API_KEY: "sk-mock-upstream",
      };
      const server = await startServer({ dataDir, env });
      servers.push(server);
      const sql = connectToServerDb(dataDir);
      const { secret } = await createKey(sql, await createOrg(sql));
      await sql.end({ timeout: 1 });

      // ~60 chunks at least 20 ms apart: the stream outlives the signal by over a second.
      const res = await fetch(`${server.baseUrl}/v1/chat/completions`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${secret}`,
          "content-type": "application/json",
          "x-request-id": "shutdown-stream",
        },
        body: JSON.stringify({
          model: "mock-long-stream",
          stream: true,
          messages: [{ role: "user", content: "long" }],
        }),
      });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value);

      const signalledAt = Date.now();
      server.child.kill("SIGTERM");
      let bytesAfterSignal = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytesAfterSignal += value.length;
        text += decoder.decode(value, { stream: true });
      }
      expect(bytesAfterSignal).toBeGreaterThan(0);
      expect(Date.now() - signalledAt).toBeGreaterThan(500);
      expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
      expect(await server.exited).toBe(0);

      // The log row of the stream was written before the database closed.
      const again = await startServer({ dataDir, env });
      servers.push(again);
      const check = connectToServerDb(dataDir);
      const [row] = await eventually(async () => {
        const rows = await check<
          { status: number; stream: boolean; completion_tokens: number | null }[]
        >`
        select status, stream, completion_tokens from request_logs where client_request_id = 'shutdown-stream'`;
        return rows.length > 0 && rows;
      }, 5_000);
      expect(row).toMatchObject({ status: 200, stream: true });
      expect(row!.completion_tokens).toBeGreaterThan(0);
      await check.end({ timeout: 1 });
      await again.stop("SIGTERM");
    },
  );
});
