import type { CacheEntry } from "~/gateway/cache/cache-entry";
import type { ResponseCacheStore } from "~/gateway/cache/cache-store";
import type { GatewayLogger } from "~/gateway/ports";

/** A clock the test moves by hand. */
export function fakeClock(start = Date.parse("2030-01-01T00:00:00Z")) {
  const clock = {
    current: start,
    now: () => clock.current,
    advance(ms: number) {
      clock.current += ms;
    },
  };
  return clock;
}

/** A logger that remembers what it was told. */
export function recordingLogger() {
  const lines: { level: "warn" | "error"; msg: string; fields?: Record<string, unknown> }[] = [];
  const logger: GatewayLogger = {
    warn: (msg, fields) => lines.push({ level: "warn", msg, fields }),
    error: (msg, fields) => lines.push({ level: "error", msg, fields }),
  };
  return { logger, lines };
}

/**
 * An in-memory shared tier shared by several engines (stands in for "another instance" in engine
 * tests; the Postgres and Redis stores have their own tests against real servers).
 */
export function memoryStore(): ResponseCacheStore & {
  rows: Map<string, CacheEntry>;
  gets: number;
  failReads: boolean;
  readDelayMs: number;
} {
  const rows = new Map<string, CacheEntry>();
  const store = {
    kind: "memory",
    rows,
    gets: 0,
    failReads: false,
    readDelayMs: 0,
    async get(orgId: string, key: string, now: number) {
      store.gets++;
      if (store.readDelayMs > 0) await new Promise((r) => setTimeout(r, store.readDelayMs));
      if (store.failReads) throw new Error("connection refused");
      const entry = rows.get(`${orgId}\0${key}`);
      return entry && entry.meta.expiresAt > now ? entry : null;
    },
    async setMany(entries: readonly CacheEntry[]) {
      for (const e of entries) rows.set(`${e.orgId}\0${e.key}`, e);
    },
    async deleteExpired(now: number) {
      let n = 0;
      for (const [k, e] of rows) if (e.meta.expiresAt <= now && rows.delete(k)) n++;
      return n;
    },
    async clearOrg(orgId: string) {
      let n = 0;
      for (const [k, e] of rows) if (e.orgId === orgId && rows.delete(k)) n++;
      return n;
    },
  };
  return store;
}

export const USAGE = { promptTokens: 12, completionTokens: 5, totalTokens: 17 };

/** A chat request body. */
export function chatBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: "gpt-4o-mini",
    temperature: 0,
    messages: [
      { role: "system", content: "You answer in one sentence." },
      { role: "user", content: "What is the capital of France?" },
    ],
    ...overrides,
  };
}

/** A chat.completion JSON text. */
export function completionText(content = "Paris is the capital of France."): string {
  return JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1_900_000_000,
    model: "gpt-4o-mini-2024-07-18",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content, refusal: null },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
  });
}

export function answer(body = completionText(), extra: Record<string, unknown> = {}) {
  return {
    body,
    usage: USAGE,
    providerId: "openai",
    providerType: "openai",
    servedModel: "gpt-4o-mini-2024-07-18",
    finishReason: "stop",
    costMicros: 42n,
    ...extra,
  };
}
