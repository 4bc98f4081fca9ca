import type { Usage } from "~/providers/types";
import type { CacheEndpoint } from "./cache-key";

/** What the cache knows about a stored answer besides its bytes. */
export interface CacheEntryMeta {
  endpoint: CacheEndpoint;
  usage: Usage | null;
  providerId: string | null;
  providerType: string | null;
  servedModel: string | null;
  finishReason: string | null;
  /**
   * What the original request cost (micro-dollars): what a hit saves. null when it was not known
   * when the entry was stored (unpriced model, or priced later by the request-log sink).
   */
  costMicros: bigint | null;
  /** Milliseconds since the epoch. */
  createdAt: number;
  expiresAt: number;
}

/** One cached answer: the final non-streamed JSON text (chat.completion, list, text_completion). */
export interface CacheEntry {
  orgId: string;
  key: string;
  body: string;
  meta: CacheEntryMeta;
}

/** A successful answer handed to the cache by the request that made it. */
export interface CacheableAnswer {
  /** JSON text as a buffered client receives it (for a stream: see `completionFromSse`). */
  body: string;
  usage: Usage | null;
  providerId: string | null;
  providerType?: string | null;
  servedModel: string | null;
  /** The unified (or raw) finish reason; `error` answers are never stored. null for embeddings. */
  finishReason: string | null;
  /** The request's cost when already known (micro-dollars). */
  costMicros?: bigint | null;
}

/** The JSON form of CacheEntryMeta, as L2 stores keep it (bigint as a decimal string). */
export interface StoredCacheMeta {
  v: 1;
  endpoint: CacheEndpoint;
  usage: Usage | null;
  providerId: string | null;
  providerType: string | null;
  servedModel: string | null;
  finishReason: string | null;
  costMicros: string | null;
  createdAt: number;
  expiresAt: number;
}

export function metaToStored(meta: CacheEntryMeta): StoredCacheMeta {
  return {
    v: 1,
    endpoint: meta.endpoint,
    usage: meta.usage,
    providerId: meta.providerId,
    providerType: meta.providerType,
    servedModel: meta.servedModel,
    finishReason: meta.finishReason,
    costMicros: meta.costMicros === null ? null : meta.costMicros.toString(),
    createdAt: meta.createdAt,
    expiresAt: meta.expiresAt,
  };
}

const ENDPOINTS: ReadonlySet<string> = new Set(["chat.completions", "embeddings", "completions"]);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function usageFrom(value: unknown): Usage | null {
  if (!value || typeof value !== "object") return null;
  const u = value as Record<string, unknown>;
  const prompt = num(u.promptTokens);
  const completion = num(u.completionTokens);
  const total = num(u.totalTokens);
  if (prompt === null || completion === null || total === null) return null;
  const usage: Usage = { promptTokens: prompt, completionTokens: completion, totalTokens: total };
  const cachedRead = num(u.cachedReadTokens);
  if (cachedRead !== null) usage.cachedReadTokens = cachedRead;
  const cachedWrite = num(u.cachedWriteTokens);
  if (cachedWrite !== null) usage.cachedWriteTokens = cachedWrite;
  const reasoning = num(u.reasoningTokens);
  if (reasoning !== null) usage.reasoningTokens = reasoning;
  return usage;
}

/** Reads stored meta back; null for anything malformed (an L2 row is data, not trusted code). */
export function metaFromStored(value: unknown): CacheEntryMeta | null {
  if (!value || typeof value !== "object") return null;
  const m = value as Record<string, unknown>;
  const createdAt = num(m.createdAt);
  const expiresAt = num(m.expiresAt);
  if (m.v !== 1 || typeof m.endpoint !== "string" || !ENDPOINTS.has(m.endpoint)) return null;
  if (createdAt === null || expiresAt === null) return null;
  let costMicros: bigint | null = null;
  if (typeof m.costMicros === "string" && /^-?\d{1,30}$/.test(m.costMicros)) {
    costMicros = BigInt(m.costMicros);
  }
  return {
    endpoint: m.endpoint as CacheEndpoint,
    usage: usageFrom(m.usage),
    providerId: str(m.providerId),
    providerType: str(m.providerType),
    servedModel: str(m.servedModel),
    finishReason: str(m.finishReason),
    costMicros,
    createdAt,
    expiresAt,
  };
}

/** Unified usage in OpenAI's wire shape (for answers whose stream did not carry it to the client). */
export function usageToOpenAI(usage: Usage): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cachedReadTokens !== undefined) {
    wire.prompt_tokens_details = { cached_tokens: usage.cachedReadTokens };
  }
  if (usage.reasoningTokens !== undefined) {
    wire.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  }
  return wire;
}
