/**
 * Everything the gateway core needs from the outside world. The core imports no framework,
 * ORM or job library: `src/server/gateway` implements these ports with drizzle and in-memory
 * caches, and tests pass in-memory fakes.
 */

import type { ProviderRegistry } from "~/providers/registry";
import type { ProviderConfig, Usage } from "~/providers/types";
import type { CacheDefault, ResponseCache } from "./cache";
import type { GuardHit, Policy } from "./guardrails/policy";
import type { KnowledgeBase } from "./knowledge/types";
import type { KeyEndpoint } from "./key-endpoints";
import type { LimitsEngine } from "./limits/limits-engine";
import type { LimitsDirectory } from "./limits/types";
import type { AttemptRecord } from "./routing/attempt-record";
import type { RouteDefinition } from "./routing/route-schema";
import type { RoutingState } from "./routing/routing-state";

export type MaybePromise<T> = T | Promise<T>;

/** What the core knows about an API key once its hash matched a stored row. */
export interface ApiKeyRecord {
  id: string;
  orgId: string;
  name: string;
  /** null = every model the org can reach. */
  allowedModels: readonly string[] | null;
  /**
   * Endpoint groups the key may call, as a set built once when the row is loaded (the check on
   * every request is a lookup); null or absent = all.
   */
  allowedEndpoints?: ReadonlySet<KeyEndpoint> | null;
  metadata: Readonly<Record<string, string>>;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface ApiKeyStore {
  /** The key whose stored hash equals `hash`, revoked and expired ones included; null when none. */
  findByHash(hash: string): MaybePromise<ApiKeyRecord | null>;
}

/** Turns a presented secret into the hash the store is keyed by (HMAC with the instance secret). */
export type KeyHasher = (key: string) => string;

/** Records that a key was used just now. Must return immediately: never blocks a request. */
export type KeyUsageRecorder = (keyId: string) => void;

export interface ReadinessReport {
  database: "ok" | "unavailable";
  vector: "available" | "unavailable";
  /** The request-log queue since start: waiting, written, lost (queue full or failed twice), failed batches. */
  requestLog?: { queued: number; written: number; dropped: number; failedBatches: number };
  /**
   * Where rate-limit and budget counters live and whether that store answers (limited requests
   * are refused with 503 while it does not; unlimited ones are served).
   */
  limits?: { store: "memory" | "redis" | "missing"; status: "ok" | "unavailable" };
  /** The response cache since start. */
  cache?: { hits: number; misses: number; bypasses: number; entries: number; bytes: number };
}

/** Checks the dependencies a request needs (for `/readyz`). May throw: that counts as not ready. */
export type ReadinessProbe = () => Promise<ReadinessReport>;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** One entry of `GET /v1/models`, in OpenAI's shape. */
export interface ModelInfo {
  id: string;
  object: "model";
  /** Unix seconds. */
  created: number;
  owned_by: string;
}

export interface ModelCatalog {
  /** The models this key may call (its org's models, narrowed by the key's allow-list). */
  listModels(key: ApiKeyRecord): MaybePromise<readonly ModelInfo[]>;
}

export interface GatewayLogger {
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export interface GatewayPorts {
  apiKeys: ApiKeyStore;
  hashKey: KeyHasher;
  touchKey: KeyUsageRecorder;
  /** What `GET /v1/models` lists (see `createProviderModelCatalog` for the one over `providers`). */
  models: ModelCatalog;
  readiness: ReadinessProbe;
  /** The upstreams each org may call. */
  providers: ProviderDirectory;
  /** Where every finished LLM request is recorded (never awaited). */
  requestLog: RequestLogSink;
  /**
   * Routes (virtual models) each org may call by name; without it (or with no routes) every
   * model name resolves directly, as before.
   */
  routes?: RouteDirectory;
  /** Model prices for `lowest-cost` routes; without it those keep their written order. */
  prices?: ModelPriceLookup;
  /**
   * Circuit breakers and latency averages of route targets. Defaults to one per ports object
   * (`routingStateFor`), so gateways built over the same ports share it.
   */
  routing?: RoutingState;
  /** Org switches; without it every org stores bodies. */
  orgSettings?: OrgSettingsReader;
  /** Guardrail policies each org runs; without it (or with none) requests pass unguarded. */
  guardrails?: GuardrailDirectory;
  /** Rate limits and budgets; without it nothing is limited. */
  limits?: LimitsPorts;
  /** The response cache; without it nothing is cached (every response says nothing about it). */
  cache?: CachePorts;
  /**
   * Prices a request in the hot path, the same way the request-log sink does (budgets reserve
   * and settle with it, a cache entry keeps its answer's cost); without it budgets see every
   * model as unpriced.
   */
  pricing?: RequestPricer;
  /**
   * Files, vector stores and their search (`/v1/files`, `/v1/vector_stores`, the
   * `x-switchyard-knowledge` header); without it those answer 503.
   */
  knowledge?: KnowledgeBase;
  /** Provider type → adapter; defaults to the built-in registry. */
  adapters?: ProviderRegistry;
  /** Defaults to the system clock. */
  clock?: Clock;
  /** Defaults to the shared process logger. */
  logger?: GatewayLogger;
}

// ---------------------------------------------------------------------------------------------
// LLM traffic (chat, embeddings, completions)

/** The upstreams an org may call: instance-wide ones (env/config) first, then the org's own. */
export interface ProviderDirectory {
  listForOrg(orgId: string): MaybePromise<readonly ProviderConfig[]>;
}

/**
 * The routes an org may call: the org's own first, then the instance-wide ones (config file) it
 * does not replace; the first route of a name wins, so an org's route overrides an instance route
 * of the same name for that org only. Validated with `routeDefinitionSchema` (defaults applied). The
 * implementation caches its lists: the core caches its indexes per list instance.
 */
export interface RouteDirectory {
  forOrg(orgId: string): MaybePromise<readonly RouteDefinition[]>;
}

/** Price of a model for ordering `lowest-cost` routes. */
export interface ModelPriceLookup {
  /** $ per 1M input tokens + $ per 1M output tokens; null when unknown (tried last). */
  priceOf(provider: ProviderConfig, model: string): MaybePromise<number | null>;
}

export interface LimitsPorts {
  directory: LimitsDirectory;
  engine: LimitsEngine;
}

/** How one key's requests use the response cache (org settings, the key's TTL override). */
export interface CachePolicy {
  /** When the request sends no `x-switchyard-cache` header. */
  cacheDefault: CacheDefault;
  ttlSeconds: number;
  /** Semantic matching (null: exact matches only). */
  semantic: { threshold: number } | null;
}

export interface CachePorts {
  cache: ResponseCache;
  policy(orgId: string, keyId: string): MaybePromise<CachePolicy>;
}

export interface RequestPricingInput {
  orgId: string;
  providerType: string | null;
  providerId: string | null;
  model: string;
  usage: Usage;
}

/** A cost in micro-dollars, or unpriced (no known price: never $0). */
export type RequestPricer = (
  input: RequestPricingInput,
) => Promise<{ costMicros: bigint | null; unpriced: boolean }>;

/**
 * The guardrail policies an org runs: its own, then instance-wide ones (config file) whose ids it
 * does not use. Cached by the implementation, which hands out the same list instance while it is
 * unchanged (the core compiles each list once) and an empty list for an org without policies.
 */
export interface GuardrailDirectory {
  forOrg(orgId: string): MaybePromise<readonly Policy[]>;
}

/** Org switches the hot path needs (cached by the implementation). */
export interface OrgSettingsReader {
  get(orgId: string): MaybePromise<{ storeBodies: boolean }>;
}

/**
 * One finished request, as the gateway saw it. Cost is computed by the sink (off the hot path)
 * from the served model, provider and token counts; an unknown price is recorded as unpriced.
 */
export interface RequestLogEntry {
  /** Switchyard's own id for the row (the request id, unless the client sent its own). */
  id: string;
  /** The client's `x-request-id`, when it sent one (not unique: clients reuse ids). */
  clientRequestId: string | null;
  orgId: string;
  apiKeyId: string | null;
  endpoint: "chat.completions" | "embeddings" | "completions";
  endUser: string | null;
  metadata: Record<string, string> | null;
  requestedModel: string | null;
  servedModel: string | null;
  providerId: string | null;
  providerType: string | null;
  stream: boolean;
  status: number;
  errorCode: string | null;
  errorMessage: string | null;
  finishReason: string | null;
  startedAt: Date;
  latencyMs: number;
  ttftMs: number | null;
  upstreamMs: number | null;
  usage: Usage | null;
  /** Raw bodies (the sink truncates them and honours the org's store-bodies switch). */
  requestBody: string | null;
  responseBody: string | null;
  /** The route (virtual model) the request named, or null for a direct model. */
  routeName: string | null;
  /**
   * Every attempt of a routed request (calls, retries, skipped open targets), in order; null for
   * a direct model (one attempt: the entry itself). `providerId`/`servedModel` name the one that
   * answered (or, on failure, the last one called).
   */
  attempts: readonly AttemptRecord[] | null;
  /** The response cache's outcome (`hit`, `semantic_hit`, `miss`, `bypass`); null: not consulted. */
  cacheStatus: string | null;
  /** What a cache hit saved: the original cost of the answer it replayed (micro-dollars). */
  savedMicros: bigint | null;
  /**
   * The cost as the core already priced it (a settled budget, a cache hit's 0); when absent the
   * sink prices the entry from its usage.
   */
  priced?: { costMicros: bigint | null; unpriced: boolean } | null;
  /** What guardrail policies found (never the matched text); absent or null when nothing. */
  guardrailHits?: readonly GuardHit[] | null;
  /** The strongest guardrail action taken (`block`, `reroute`, `mask`, `redact`, `flag`). */
  guardrailAction?: string | null;
}

/** Accepts log entries without ever blocking or failing the request (bounded queue behind it). */
export interface RequestLogSink {
  record(entry: RequestLogEntry): void;
}
