import type { CacheStatus } from "../context";
import { CACHE_HEADER } from "./cache-mode";
import type { CacheLookup } from "./response-cache";

/** On a semantic hit: how close the matched prompt was (cosine similarity, 4 decimals). */
export const CACHE_SIMILARITY_HEADER = "x-switchyard-cache-similarity";

/**
 * The headers a response carries for its cache outcome: `x-switchyard-cache: HIT | MISS |
 * BYPASS`. A semantic hit is a `HIT` too (clients that only check for HIT need not know the
 * tiers) and adds `x-switchyard-cache-similarity`. `refresh` requests report MISS.
 */
export function cacheResponseHeaders(lookup: CacheLookup): Record<string, string> {
  if (lookup.status !== "HIT") return { [CACHE_HEADER]: lookup.status };
  if (lookup.similarity === null) return { [CACHE_HEADER]: "HIT" };
  return {
    [CACHE_HEADER]: "HIT",
    [CACHE_SIMILARITY_HEADER]: (Math.floor(lookup.similarity * 10_000) / 10_000).toFixed(4),
  };
}

/** The request log's `cache_status` for an outcome. */
export function cacheLogStatus(lookup: CacheLookup): CacheStatus {
  if (lookup.status === "HIT") return lookup.similarity === null ? "hit" : "semantic_hit";
  return lookup.status === "MISS" ? "miss" : "bypass";
}

/** What a hit saved (the original answer's cost, micro-dollars); null for a miss or an unknown cost. */
export function savedMicros(lookup: CacheLookup): bigint | null {
  return lookup.status === "HIT" ? lookup.entry.meta.costMicros : null;
}
