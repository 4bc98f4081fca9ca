/** The response cache: exact (memory + shared store) and semantic tiers behind one engine. */
export { cacheKey, FIELDS_OUTSIDE_KEY, type CacheEndpoint } from "./cache-key";
export { CACHE_HEADER, cacheModeFor, type CacheDefault, type CacheMode } from "./cache-mode";
export {
  metaFromStored,
  metaToStored,
  usageToOpenAI,
  type CacheableAnswer,
  type CacheEntry,
  type CacheEntryMeta,
  type StoredCacheMeta,
} from "./cache-entry";
export type {
  ResponseCacheStore,
  SemanticCacheRow,
  SemanticCacheStore,
  SemanticMatch,
} from "./cache-store";
export { completionFromSse, type AssembledAnswer } from "./completion-from-sse";
export { replayAsSse, replayAsSseStream, replaySseEvents } from "./sse-replay";
export { semanticPrompt, type SemanticPrompt } from "./semantic-prompt";
export {
  cacheLogStatus,
  cacheResponseHeaders,
  CACHE_SIMILARITY_HEADER,
  savedMicros,
} from "./cache-outcome";
export {
  createResponseCache,
  DEFAULT_MAX_ENTRY_CHARS,
  DEFAULT_SEMANTIC_THRESHOLD,
  type CacheHitSource,
  type CacheLookup,
  type CacheLookupRequest,
  type ResponseCache,
  type ResponseCacheOptions,
  type ResponseCacheStats,
} from "./response-cache";
export { DEFAULT_L1_BYTES } from "./memory-tier";
