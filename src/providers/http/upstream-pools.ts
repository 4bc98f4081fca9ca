import { buildConnector, Pool } from "undici";
import {
  guardedLookup,
  isPrivateIPLiteral,
  privateUpstreamError,
} from "../../lib/net/public-address";

/**
 * One keep-alive connection pool per upstream origin, connect timeout and address guard, shared
 * by every request and org that calls it. undici directly, not the global fetch: Next.js patches fetch in
 * this process, and a pool dispatch costs far less than a fetch.
 */

/** Sockets per origin; requests beyond it queue in the pool. */
const CONNECTIONS_PER_ORIGIN = 256;
/** Distinct pools kept; the least recently created idle ones are closed beyond it. */
const MAX_POOLS = 512;

// On globalThis so the custom server and Next's bundled copy of this module share the pools.
const state = globalThis as unknown as { __switchyardUpstreamPools?: Map<string, Pool> };
const pools = (state.__switchyardUpstreamPools ??= new Map());

export interface UpstreamOrigin {
  /** `https://api.openai.com` */
  origin: string;
  /** Path prefix of the base URL without a trailing slash: `/v1`, or `` */
  basePath: string;
  /**
   * The host is an IP literal outside the public internet: a call that must reach public
   * addresses only is refused before it takes a pool (the pool's connector refuses it as well).
   */
  privateLiteralHost: boolean;
}

const origins = new Map<string, UpstreamOrigin>();

/** Splits a provider base URL once (cached): `http://h:1/v1/` → origin `http://h:1`, path `/v1`. */
export function parseBaseURL(baseURL: string): UpstreamOrigin {
  let parsed = origins.get(baseURL);
  if (parsed) return parsed;
  const url = new URL(baseURL);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`unsupported protocol ${url.protocol} in a provider base URL`);
  }
  parsed = {
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ""),
    privateLiteralHost: isPrivateIPLiteral(url.hostname),
  };
  if (origins.size > 4 * MAX_POOLS) origins.clear();
  origins.set(baseURL, parsed);
  return parsed;
}

/**
 * The pool for `origin`. `publicOnly` pools resolve names with `guardedLookup`, which refuses a
 * private answer on every new connection (a name checked once can resolve elsewhere later); they
 * never share sockets with unguarded pools.
 */
export function poolFor(origin: string, connectMs: number, publicOnly = false): Pool {
  const key = `${connectMs} ${publicOnly ? "public" : "any"} ${origin}`;
  let pool = pools.get(key);
  if (pool) return pool;
  if (pools.size >= MAX_POOLS) evictOne();
  pool = new Pool(origin, {
    connections: CONNECTIONS_PER_ORIGIN,
    pipelining: 1,
    connect: publicOnly ? publicOnlyConnector(connectMs) : { timeout: connectMs },
    // Timeouts are per request (see upstream-call.ts); none at the pool level.
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
  });
  pools.set(key, pool);
  return pool;
}

/**
 * undici's connector (its options reach net/tls `connect`) with `guardedLookup`, in front of which
 * an IP-literal host is checked: sockets connect to literals without calling `lookup`.
 */
function publicOnlyConnector(connectMs: number): buildConnector.connector {
  const connect = buildConnector({ timeout: connectMs, lookup: guardedLookup });
  return (options, callback) => {
    if (isPrivateIPLiteral(options.hostname)) {
      // Asynchronously, as a real connection attempt would fail.
      const err = privateUpstreamError(options.hostname);
      queueMicrotask(() => callback(err, null));
      return;
    }
    connect(options, callback);
  };
}

function evictOne(): void {
  for (const [key, pool] of pools) {
    const stats = pool.stats;
    if (stats.running === 0 && stats.pending === 0 && stats.queued === 0) {
      pools.delete(key);
      void pool.close().catch(() => {});
      return;
    }
  }
}

/** Closes every pool after its in-flight requests finish (server shutdown, tests). */
export async function closeUpstreamPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close().catch(() => {})));
}
