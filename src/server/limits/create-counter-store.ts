import type { CounterStore } from "~/gateway/limits/counter-store";
import { createMemoryCounterStore } from "~/gateway/limits/memory-counter-store";
import { getRedisClient } from "~/server/redis/redis-client";
import { createRedisCounterStore } from "./redis-counter-store";

/**
 * Where counters cannot live in process: serverless hosts run many short-lived instances, each
 * with its own memory, so per-instance counters would let every instance spend the whole limit.
 * There a limited request is refused (503 limits_unavailable, via the engine) until a shared
 * store is configured — never silently unlimited. Requests without limits never touch a store.
 */
function missingSharedStore(reason: string): CounterStore {
  const fail = () => Promise.reject(new Error(reason));
  return { admit: fail, settle: fail, snapshot: fail, ping: fail };
}

/**
 * The counter store an instance uses: Redis when a URL is configured (every instance shares one
 * count), otherwise counters in this process (exact for a single instance) — except on a
 * serverless host (`serverless`), where only a shared store can hold a limit.
 */
export function createCounterStore(options: {
  redisUrl?: string | null;
  prefix?: string;
  timeoutMs?: number;
  serverless?: boolean;
}): {
  store: CounterStore;
  kind: "redis" | "memory" | "missing";
} {
  if (!options.redisUrl && options.serverless) {
    return {
      store: missingSharedStore(
        "rate limits and budgets need a shared store on a serverless host: set REDIS_URL",
      ),
      kind: "missing",
    };
  }
  if (!options.redisUrl) return { store: createMemoryCounterStore(), kind: "memory" };
  return {
    store: createRedisCounterStore(getRedisClient(options.redisUrl), {
      prefix: options.prefix,
      timeoutMs: options.timeoutMs,
    }),
    kind: "redis",
  };
}
