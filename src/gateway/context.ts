import type { JsonObject, ProviderConfig } from "~/providers/types";
import type { CacheEntry, CacheLookup } from "./cache";
import type { Admission } from "./limits/limits-engine";
import type { GuardState } from "./steps/guard-input";
import type { ApiKeyRecord, RequestLogEntry } from "./ports";
import type { AttemptRecord } from "./routing/attempt-record";
import type { ResolvedRoute } from "./routing/route-index";

/** Which upstream and model a request goes to (filled in by resolve-model). */
export interface ModelTarget {
  provider: ProviderConfig;
  /** The model name as the upstream knows it (without the `provider/` prefix). */
  model: string;
}

/**
 * The one typed per-request state the steps read and write. Steps never call each other; each
 * takes this context (plus the request and the ports it needs) and fills in its part. Every field
 * exists from the start (null until set) so all contexts share one shape.
 */
export interface GatewayContext {
  /** What the request is known by (`x-request-id`): the client's own id when it sent one. */
  requestId: string;
  /**
   * The client's `x-request-id`, when it sent an acceptable one. Clients may reuse ids, so the
   * request log keys its rows by an id of Switchyard's own and keeps this one beside it.
   */
  clientRequestId: string | null;
  /** Clock reading when the request entered the core (ms since the epoch). */
  startedAt: number;
  /** Set by the authenticate step. */
  key: ApiKeyRecord | null;

  // LLM requests (chat, embeddings, completions)
  endpoint: RequestLogEntry["endpoint"] | null;
  /** The request body as received (JSON text) and parsed. */
  requestText: string | null;
  body: JsonObject | null;
  /** The `x-switchyard-metadata` header. */
  metadata: Record<string, string> | null;
  requestedModel: string | null;
  stream: boolean;
  /** The request's `user` field. */
  endUser: string | null;
  /** The upstream that answered (for a route: the target that answered, or the last one called). */
  target: ModelTarget | null;
  /** The route the requested model named (set by resolve-model), null for a direct model. */
  route: ResolvedRoute | null;
  /** A routed request's attempts, in order (the executor appends to it); null for a direct model. */
  attempts: AttemptRecord[] | null;
  /** Whether bodies are kept for the request log (org setting). */
  storeBodies: boolean;
  /**
   * Headers every response of this request carries, whatever its outcome (rate-limit headers,
   * `x-switchyard-cache`); null when there are none.
   */
  responseHeaders: Record<string, string> | null;
  /** The response cache's outcome, for the request log (null: not consulted). */
  cacheStatus: CacheStatus | null;
  /** What a cache hit saved (the replayed answer's original cost), micro-dollars. */
  savedMicros: bigint | null;
  /**
   * The request's cost when the core priced it itself (budgets settle with it, so the log must
   * record the same figure); null leaves pricing to the request-log sink.
   */
  priced: PricedCost | null;
  /**
   * What the limits engine admitted, settled once when the request is recorded (`needsCost`: a
   * budget applies, so the settle needs the real cost).
   */
  admission: { grant: Admission; needsCost: boolean } | null;
  /** A cache miss this request fills (stored or released when it is recorded). */
  cacheMiss: Extract<CacheLookup, { status: "MISS" }> | null;
  /** The cached answer this request was served from. */
  cacheHit: CacheEntry | null;
  /** What guardrail policies found and still have to do on the answer; null: nothing (the common case). */
  guard: GuardState | null;
}

export type CacheStatus = "hit" | "semantic_hit" | "miss" | "bypass";

/** A cost as priced: micro-dollars, or unpriced (no known price: never $0). */
export interface PricedCost {
  costMicros: bigint | null;
  unpriced: boolean;
}

/** Adds headers every response of the request will carry. */
export function addResponseHeaders(ctx: GatewayContext, headers: Readonly<Record<string, string>>): void {
  ctx.responseHeaders = ctx.responseHeaders === null ? { ...headers } : Object.assign(ctx.responseHeaders, headers);
}

export function createContext(requestId: string, startedAt: number): GatewayContext {
  return {
    requestId,
    clientRequestId: null,
    startedAt,
    key: null,
    endpoint: null,
    requestText: null,
    body: null,
    metadata: null,
    requestedModel: null,
    stream: false,
    endUser: null,
    target: null,
    route: null,
    attempts: null,
    storeBodies: true,
    responseHeaders: null,
    cacheStatus: null,
    savedMicros: null,
    priced: null,
    admission: null,
    cacheMiss: null,
    cacheHit: null,
    guard: null,
  };
}
