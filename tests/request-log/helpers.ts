import type { RequestLogEntry } from "~/gateway/ports";
import type { Db } from "~/server/db";

let seq = 0;

/** A finished chat request as the gateway hands it to the sink. */
export function logEntry(orgId: string, overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  seq += 1;
  return {
    id: `req_test_${Date.now().toString(36)}_${seq}`,
    clientRequestId: null,
    orgId,
    apiKeyId: null,
    endpoint: "chat.completions",
    endUser: null,
    metadata: null,
    requestedModel: "gpt-4o-mini",
    servedModel: "gpt-4o-mini",
    providerId: "openai",
    providerType: "openai",
    stream: false,
    status: 200,
    errorCode: null,
    errorMessage: null,
    finishReason: "stop",
    startedAt: new Date("2030-01-01T00:00:00.000Z"),
    latencyMs: 120,
    ttftMs: 100,
    upstreamMs: 110,
    usage: { promptTokens: 1000, completionTokens: 100, totalTokens: 1100 },
    requestBody: '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}',
    responseBody: '{"choices":[{"message":{"role":"assistant","content":"hello"}}]}',
    routeName: null,
    attempts: null,
    cacheStatus: null,
    savedMicros: null,
    ...overrides,
  };
}

/** A database whose statements (the writer's batch INSERTs) do what `insert` says (never resolve, fail, …), counting the calls. */
export function fakeDb(insert: (query: unknown) => Promise<unknown>) {
  const calls: unknown[] = [];
  const db = {
    execute: (query: unknown) => {
      calls.push(query);
      return insert(query);
    },
  } as unknown as Db;
  return { db, calls };
}

/** Counts statements (`db.execute`: the writer's batch INSERTs) on a real database. */
export function countingDb(db: Db) {
  const counter = { inserts: 0 };
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "execute") counter.inserts += 1;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { db: proxy, counter };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const quietLogger = () => {
  const lines: { level: "warn" | "error"; msg: string; fields?: Record<string, unknown> }[] = [];
  return {
    lines,
    logger: {
      warn: (msg: string, fields?: Record<string, unknown>) => lines.push({ level: "warn", msg, fields }),
      error: (msg: string, fields?: Record<string, unknown>) => lines.push({ level: "error", msg, fields }),
    },
  };
};
