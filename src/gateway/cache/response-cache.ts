import type { EmbedTexts } from "~/lib/embeddings/types";
import type { JsonObject } from "~/providers/types";
import type { Clock, GatewayLogger } from "../ports";
import type { CacheEntry, CacheableAnswer } from "./cache-entry";
import { cacheKey, type CacheEndpoint } from "./cache-key";
import type { CacheMode } from "./cache-mode";
import type { ResponseCacheStore, SemanticCacheRow, SemanticCacheStore } from "./cache-store";
import { DEFAULT_L1_BYTES, MemoryTier } from "./memory-tier";
import { semanticPrompt, type SemanticPrompt } from "./semantic-prompt";
import { Singleflight } from "./singleflight";
import { WriteBehindQueue, type WriteBehindStats } from "./write-behind-queue";

/**
 * The response cache engine: exact matches in memory (L1) and in a shared store (L2), optional
 * semantic matches (embeddings + nearest neighbour), and one upstream call per key at a time.
 *
 * A lookup costs one SHA-256 over the canonical body; an L1 hit answers without I/O; an L1 miss
 * reads L2 once (bounded by `l2ReadTimeoutMs`: a slow store is a miss, never a slow request).
 * Stores go to L1 at once and to L2 (and the semantic table) through bounded write-behind
 * queues the client never waits for. Store failures are logged and counted, never thrown.
 */

export const DEFAULT_SEMANTIC_THRESHOLD = 0.95;
/** Largest answer kept (characters of JSON): bigger ones are passed through uncached. */
export const DEFAULT_MAX_ENTRY_CHARS = 2 * 1024 * 1024;

export interface ResponseCacheOptions {
  /** Bound of the in-process tier, in characters of stored JSON (default 64 MB). */
  l1Bytes?: number;
  /** The shared tier (Postgres or Redis); null: this process only. */
  l2?: ResponseCacheStore | null;
  /** The semantic tier; absent: exact matches only. */
  semantic?: {
    store: SemanticCacheStore;
    embed: EmbedTexts;
    /** Names the embedding model (part of the fingerprint: switching models starts afresh). */
    embedderId?: string;
    /** Default similarity a match needs (default 0.95); a request may ask for its own. */
    threshold?: number;
  } | null;
  clock?: Clock;
  logger: GatewayLogger;
  singleflight?: {
    /** How long followers wait for a leader (default 60 s); after that they call upstream themselves. */
    maxWaitMs?: number;
    /**
     * What a streaming request does when an identical request is already running: `wait` for it
     * and replay its answer (saves the call, but the first byte comes only when the leader's
     * answer is complete), or `call` upstream itself (no waiting, no saving). Default `wait`.
     */
    streamFollowers?: "wait" | "call";
  };
  /** Longest wait for an L2 read before it counts as a miss (default 250 ms). */
  l2ReadTimeoutMs?: number;
  /** Largest answer stored, in characters (default 2 Mi). */
  maxEntryChars?: number;
  /** Bound of each write-behind queue (default 10 000 entries). */
  maxPendingWrites?: number;
}

export interface CacheLookupRequest {
  orgId: string;
  endpoint: CacheEndpoint;
  body: JsonObject;
  mode: CacheMode;
  /** How long a stored answer is served (seconds, > 0). */
  ttlSeconds: number;
  /** Whether the client streams (see `singleflight.streamFollowers`). */
  stream?: boolean;
  /** Semantic matching for this request (its org or route opted in); threshold overrides the default. */
  semantic?: { threshold?: number } | null;
}

export type CacheHitSource = "memory" | "shared" | "inflight" | "semantic";

export type CacheLookup =
  | {
      status: "HIT";
      key: string;
      entry: CacheEntry;
      /** Cosine similarity of the matched prompt (semantic hits), else null. */
      similarity: number | null;
      source: CacheHitSource;
    }
  | {
      status: "MISS";
      key: string;
      /**
       * Stores the answer (L1 now, L2 later) and hands it to requests waiting for this one.
       * Returns false when it was not stored (an error finish reason, too large, not JSON, or
       * already stored). Call it only for a 200 answer; call at most once.
       */
      store(answer: CacheableAnswer): boolean;
      /** Frees the waiting requests without an answer (the call failed). No-op after `store`. */
      release(): void;
    }
  | {
      status: "BYPASS";
      /** `off`: the mode said so; `uncacheable`: the request cannot be keyed (nested too deep, bad TTL). */
      reason: "off" | "uncacheable";
    };

export interface ResponseCacheStats {
  hits: Record<CacheHitSource, number>;
  misses: number;
  bypasses: number;
  stored: number;
  l1: { entries: number; bytes: number };
  inflight: number;
  l2Writes: WriteBehindStats | null;
  semanticWrites: WriteBehindStats | null;
  l2ReadFailures: number;
  semanticFailures: number;
}

export interface ResponseCache {
  lookup(request: CacheLookupRequest): Promise<CacheLookup>;
  /** Whether semantic lookups can run (configured, and the database has pgvector). */
  readonly semanticAvailable: boolean;
  /** Deletes expired entries from every tier (for a periodic cleanup job). */
  deleteExpired(): Promise<{ memory: number; shared: number; semantic: number }>;
  /** Deletes every entry of one org. */
  clearOrg(orgId: string): Promise<void>;
  /** Waits until queued L2 and semantic writes are done (shutdown, tests). */
  flush(): Promise<void>;
  stats(): ResponseCacheStats;
}

interface SemanticWrite {
  row: Omit<SemanticCacheRow, "embedding">;
  text: string;
  embedding: number[] | null;
}

/** What a leader hands its followers. */
interface Shared {
  entry: CacheEntry;
  similarity: number | null;
}

const SYSTEM_CLOCK: Clock = { now: () => Date.now() };
const BYPASS_OFF: CacheLookup = { status: "BYPASS", reason: "off" };
const BYPASS_UNCACHEABLE: CacheLookup = { status: "BYPASS", reason: "uncacheable" };
/** One log line per this many ms per kind of failure (a store outage must not flood the log). */
const LOG_EVERY_MS = 10_000;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const now = () => clock.now();
  const { logger } = options;
  const l1 = new MemoryTier(options.l1Bytes ?? DEFAULT_L1_BYTES, now);
  const l2 = options.l2 ?? null;
  const semantic = options.semantic?.store.available ? options.semantic : null;
  const defaultThreshold = options.semantic?.threshold ?? DEFAULT_SEMANTIC_THRESHOLD;
  const flights = new Singleflight<Shared>({
    maxWaitMs: options.singleflight?.maxWaitMs ?? 60_000,
    now,
  });
  const streamFollowers = options.singleflight?.streamFollowers ?? "wait";
  const l2ReadTimeoutMs = options.l2ReadTimeoutMs ?? 250;
  const maxEntryChars = options.maxEntryChars ?? DEFAULT_MAX_ENTRY_CHARS;

  const counts = {
    hits: { memory: 0, shared: 0, inflight: 0, semantic: 0 } as Record<CacheHitSource, number>,
    misses: 0,
    bypasses: 0,
    stored: 0,
    l2ReadFailures: 0,
    semanticFailures: 0,
  };
  const lastLog = new Map<string, number>();
  const warn = (kind: string, msg: string, fields: Record<string, unknown>) => {
    const t = Date.now();
    if (t - (lastLog.get(kind) ?? 0) < LOG_EVERY_MS) return;
    lastLog.set(kind, t);
    logger.warn(msg, fields);
  };

  const l2Queue =
    l2 === null
      ? null
      : new WriteBehindQueue<CacheEntry>({
          write: (batch) => l2.setMany(batch),
          onError: (err, size) =>
            warn("l2-write", "response cache: shared-store write failed; entries dropped", {
              store: l2.kind,
              entries: size,
              error: describe(err),
            }),
          maxPending: options.maxPendingWrites,
        });

  const semanticQueue =
    semantic === null
      ? null
      : new WriteBehindQueue<SemanticWrite>({
          async write(batch) {
            // Requests that skipped the lookup (`refresh`) were not embedded yet: one call for all.
            const missing = batch.filter((w) => w.embedding === null);
            if (missing.length > 0) {
              const vectors = await semantic.embed(missing.map((w) => w.text));
              missing.forEach((w, i) => (w.embedding = vectors[i] ?? null));
            }
            const rows: SemanticCacheRow[] = [];
            for (const w of batch) {
              // A zero vector (a turn without letters or digits) is similar to nothing.
              if (w.embedding?.some((x) => x !== 0))
                rows.push({ ...w.row, embedding: w.embedding });
            }
            if (rows.length > 0) await semantic.store.insertMany(rows);
          },
          onError: (err, size) =>
            warn("semantic-write", "response cache: semantic write failed; entries dropped", {
              entries: size,
              error: describe(err),
            }),
          maxPending: options.maxPendingWrites,
        });

  /** An L2 read that gives up after the timeout (the query itself runs on). */
  async function readShared(orgId: string, key: string, at: number): Promise<CacheEntry | null> {
    if (l2 === null) return null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const read = l2.get(orgId, key, at);
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), l2ReadTimeoutMs);
      });
      const result = await Promise.race([read, timeout]);
      if (result === "timeout") {
        read.catch(() => {});
        throw new Error(`no answer within ${l2ReadTimeoutMs} ms`);
      }
      // Never trust a store with tenancy or expiry.
      return result !== null && result.orgId === orgId && result.meta.expiresAt > now()
        ? result
        : null;
    } catch (err) {
      counts.l2ReadFailures++;
      warn("l2-read", "response cache: shared-store read failed; treated as a miss", {
        store: l2.kind,
        error: describe(err),
      });
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The nearest semantic neighbour's entry, when it is close enough and still stored. */
  async function semanticMatch(
    orgId: string,
    prompt: SemanticPrompt,
    threshold: number,
  ): Promise<{ shared: Shared | null; embedding: number[] | null }> {
    try {
      const [embedding] = await semantic!.embed([prompt.text]);
      if (!embedding || !embedding.some((x) => x !== 0)) return { shared: null, embedding: null };
      const match = await semantic!.store.nearest({
        orgId,
        fingerprint: prompt.fingerprint,
        embedding,
        now: now(),
      });
      if (match === null || !(match.similarity >= threshold)) return { shared: null, embedding };
      const entry = l1.get(match.key, now()) ?? (await readShared(orgId, match.key, now()));
      if (entry === null || entry.orgId !== orgId) return { shared: null, embedding };
      return { shared: { entry, similarity: match.similarity }, embedding };
    } catch (err) {
      counts.semanticFailures++;
      warn("semantic-read", "response cache: semantic lookup failed; treated as a miss", {
        error: describe(err),
      });
      return { shared: null, embedding: null };
    }
  }

  function hit(key: string, shared: Shared, source: CacheHitSource): CacheLookup {
    counts.hits[source]++;
    return { status: "HIT", key, entry: shared.entry, similarity: shared.similarity, source };
  }

  function miss(
    request: CacheLookupRequest,
    key: string,
    ttlMs: number,
    settle: ((value: Shared | null) => void) | null,
    semanticWrite: { prompt: SemanticPrompt; embedding: number[] | null } | null,
  ): CacheLookup {
    counts.misses++;
    let done = false;
    const finish = (value: Shared | null) => {
      done = true;
      settle?.(value);
    };
    return {
      status: "MISS",
      key,
      store(answer) {
        if (done) return false;
        if (!storable(answer, maxEntryChars)) {
          finish(null);
          return false;
        }
        const created = now();
        const entry: CacheEntry = {
          orgId: request.orgId,
          key,
          body: answer.body,
          meta: {
            endpoint: request.endpoint,
            usage: answer.usage,
            providerId: answer.providerId,
            providerType: answer.providerType ?? null,
            servedModel: answer.servedModel,
            finishReason: answer.finishReason,
            costMicros: answer.costMicros ?? null,
            createdAt: created,
            expiresAt: created + ttlMs,
          },
        };
        l1.set(key, entry, created);
        finish({ entry, similarity: null });
        counts.stored++;
        l2Queue?.push(entry);
        if (semanticWrite !== null && semanticQueue !== null) {
          semanticQueue.push({
            row: {
              orgId: request.orgId,
              fingerprint: semanticWrite.prompt.fingerprint,
              key,
              expiresAt: entry.meta.expiresAt,
            },
            text: semanticWrite.prompt.text,
            embedding: semanticWrite.embedding,
          });
        }
        return true;
      },
      release() {
        if (!done) finish(null);
      },
    };
  }

  async function lookup(request: CacheLookupRequest): Promise<CacheLookup> {
    if (request.mode === "off") {
      counts.bypasses++;
      return BYPASS_OFF;
    }
    const ttlMs = Math.round(request.ttlSeconds * 1000);
    let key: string;
    try {
      if (!(ttlMs > 0)) throw new RangeError("ttlSeconds must be positive");
      key = cacheKey(request.orgId, request.endpoint, request.body);
    } catch {
      counts.bypasses++;
      return BYPASS_UNCACHEABLE;
    }
    const { orgId } = request;
    const semanticOn = semantic !== null && request.semantic != null;
    const prompt = semanticOn
      ? semanticPrompt(orgId, request.endpoint, request.body, semantic.embedderId)
      : null;

    // `refresh` looks nothing up and leads no flight: it replaces the entry with a new answer.
    if (request.mode === "refresh") {
      return miss(request, key, ttlMs, null, prompt ? { prompt, embedding: null } : null);
    }

    const cached = l1.get(key, now());
    if (cached !== null && cached.orgId === orgId)
      return hit(key, { entry: cached, similarity: null }, "memory");

    if (request.stream && streamFollowers === "call" && flights.has(key)) {
      return miss(request, key, ttlMs, null, prompt ? { prompt, embedding: null } : null);
    }
    const flight = flights.join(key);
    if (flight.role === "follower") {
      const shared = await flight.wait;
      if (shared !== null) return hit(key, shared, "inflight");
      // The leader failed or gave up: this request makes its own call (and may store it).
      return miss(request, key, ttlMs, null, prompt ? { prompt, embedding: null } : null);
    }

    // The leader: the shared tier, then the semantic one, then upstream.
    try {
      const stored = await readShared(orgId, key, now());
      if (stored !== null) {
        l1.set(key, stored, now());
        flight.settle({ entry: stored, similarity: null });
        return hit(key, { entry: stored, similarity: null }, "shared");
      }
      let embedding: number[] | null = null;
      if (prompt !== null) {
        const threshold = request.semantic?.threshold ?? defaultThreshold;
        const found = await semanticMatch(orgId, prompt, threshold);
        embedding = found.embedding;
        if (found.shared !== null) {
          // Under this request's own key in memory too: the same wording again is an exact hit.
          l1.set(key, { ...found.shared.entry, key }, now());
          flight.settle(found.shared);
          return hit(key, found.shared, "semantic");
        }
      }
      return miss(request, key, ttlMs, flight.settle, prompt ? { prompt, embedding } : null);
    } catch (err) {
      flight.settle(null);
      throw err;
    }
  }

  return {
    lookup,
    semanticAvailable: semantic !== null,
    async deleteExpired() {
      const at = now();
      const memory = l1.purgeStale();
      const [shared, semanticRows] = await Promise.all([
        l2?.deleteExpired(at) ?? 0,
        semantic?.store.deleteExpired(at) ?? 0,
      ]);
      return { memory, shared, semantic: semanticRows };
    },
    async clearOrg(orgId) {
      l1.clearOrg(orgId);
      await Promise.all([l2?.clearOrg(orgId), semantic?.store.clearOrg(orgId)]);
    },
    async flush() {
      await Promise.all([l2Queue?.flush(), semanticQueue?.flush()]);
    },
    stats() {
      return {
        hits: { ...counts.hits },
        misses: counts.misses,
        bypasses: counts.bypasses,
        stored: counts.stored,
        l1: { entries: l1.entries, bytes: l1.bytes },
        inflight: flights.size,
        l2Writes: l2Queue?.stats() ?? null,
        semanticWrites: semanticQueue?.stats() ?? null,
        l2ReadFailures: counts.l2ReadFailures,
        semanticFailures: counts.semanticFailures,
      };
    },
  };
}

/** A choice that finished with `error` (a raw `"finish_reason"` key: in strings quotes are escaped). */
const ERROR_FINISH = /"finish_reason"\s*:\s*"error"/;

/** Only whole, successful JSON answers are kept. */
function storable(answer: CacheableAnswer, maxChars: number): boolean {
  if (answer.finishReason === "error") return false;
  if (answer.body.length === 0 || answer.body.length > maxChars) return false;
  if (answer.body.trimStart().charCodeAt(0) !== 123 /* { */) return false;
  return !ERROR_FINISH.test(answer.body);
}
