import { Redis, type RedisOptions } from "ioredis";
import { logger } from "~/lib/logger";

/**
 * One shared Redis client per URL for the whole process (limits, response cache, …): Redis
 * multiplexes commands over one connection, so more connections only cost sockets.
 *
 * - Lazy: nothing connects until the first command, so an instance that never touches Redis
 *   (no limits, no cache) opens no socket.
 * - Bounded failure: a command waits for at most one reconnect attempt (`maxRetriesPerRequest: 1`)
 *   and `commandTimeout`, so callers see an error in well under a second instead of hanging while
 *   Redis is down; reconnects continue in the background with capped backoff.
 */

export interface RedisClientOptions {
  /** Milliseconds a command may take before it fails (default 1000). */
  commandTimeoutMs?: number;
  /** Milliseconds to establish a connection (default 1000). */
  connectTimeoutMs?: number;
}

const clients = new Map<string, Redis>();

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

/** A new client (not shared): for tests and for callers that need their own connection. */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const redisOptions: RedisOptions = {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: options.connectTimeoutMs ?? 1000,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    // Backoff 50 ms, 100 ms, … capped at 2 s: reconnect soon after a restart, without a busy loop.
    retryStrategy: (attempt) => Math.min(attempt * 50, 2000),
    enableAutoPipelining: true,
  };
  // `unix:///run/redis.sock` is the common spelling of a socket; ioredis takes the bare path.
  const target = url.startsWith("unix://") ? url.slice("unix://".length) : url;
  const client = new Redis(target, redisOptions);
  let lastErrorLog = 0;
  client.on("error", (err: Error) => {
    // ioredis emits an error per failed reconnect; one line per 10 s is enough to diagnose.
    const now = Date.now();
    if (now - lastErrorLog < 10_000) return;
    lastErrorLog = now;
    logger.warn("redis connection error", { url: redactUrl(url), error: err.message });
  });
  return client;
}

/** The process-wide client for `url` (created on first use, connected on first command). */
export function getRedisClient(url: string, options?: RedisClientOptions): Redis {
  let client = clients.get(url);
  if (!client) {
    client = createRedisClient(url, options);
    clients.set(url, client);
  }
  return client;
}

/** Closes every shared client (on shutdown). */
export async function quitRedisClients(): Promise<void> {
  const all = [...clients.values()];
  clients.clear();
  await Promise.all(all.map((client) => quitRedisClient(client)));
}

/** Closes one client without throwing, whatever its state: `QUIT` when connected (pending replies arrive first), else disconnect. */
export async function quitRedisClient(client: Redis): Promise<void> {
  if (client.status === "end") return;
  let sawEnd = false;
  client.once("end", () => (sawEnd = true));
  if (client.status === "ready") {
    try {
      await client.quit();
    } catch {
      client.disconnect(false);
    }
  } else {
    client.disconnect(false);
  }
  // Between reconnect attempts there is no socket left to close, hence no `end` to wait for.
  // Read afresh: the awaits above changed it (TypeScript still narrows from the first check).
  const status: string = client.status;
  if (sawEnd || status === "end" || status === "reconnecting") return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2000);
    client.once("end", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
