import type { CacheEntry } from "./cache-entry";

/**
 * The shared (L2) tier of the response cache: every instance reads and writes the same entries.
 * Implemented over Postgres and Redis in `src/server/cache/response-cache`.
 */
export interface ResponseCacheStore {
  /** `postgres`, `redis`, … (for logs and stats). */
  readonly kind: string;
  /** The org's entry for `key` if it has not expired at `now` (ms); null otherwise. */
  get(orgId: string, key: string, now: number): Promise<CacheEntry | null>;
  /** Inserts or replaces entries (called off the hot path, in batches). */
  setMany(entries: readonly CacheEntry[]): Promise<void>;
  /** Removes entries expired at `now`; returns how many (for the cleanup job). */
  deleteExpired(now: number): Promise<number>;
  /** Removes every entry of one org. */
  clearOrg(orgId: string): Promise<number>;
}

/** One semantic-cache row: the embedding of a prompt's last user turn, pointing at an exact entry. */
export interface SemanticCacheRow {
  orgId: string;
  /** Hash of everything else that shapes the answer (see `semanticPrompt`). */
  fingerprint: string;
  /** The exact cache key whose entry holds the answer. */
  key: string;
  embedding: readonly number[];
  /** ms since the epoch. */
  expiresAt: number;
}

export interface SemanticMatch {
  key: string;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

/** Nearest-neighbour search over semantic rows (pgvector). */
export interface SemanticCacheStore {
  /** False where the database has no pgvector: the semantic tier then stays off. */
  readonly available: boolean;
  readonly unavailableReason?: string;
  /** The closest unexpired row of this org and fingerprint, or null when there is none. */
  nearest(query: {
    orgId: string;
    fingerprint: string;
    embedding: readonly number[];
    now: number;
  }): Promise<SemanticMatch | null>;
  insertMany(rows: readonly SemanticCacheRow[]): Promise<void>;
  deleteExpired(now: number): Promise<number>;
  clearOrg(orgId: string): Promise<number>;
}
