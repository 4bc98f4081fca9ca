import type { ApiKeyRecord } from "./ports";

/**
 * The one typed per-request state the steps read and write. Steps never call each other; each
 * takes this context (plus the request and the ports it needs) and fills in its part.
 */
export interface GatewayContext {
  requestId: string;
  /** Clock reading when the request entered the core (ms since the epoch). */
  startedAt: number;
  /** Set by the authenticate step. */
  key: ApiKeyRecord | null;
}

export function createContext(requestId: string, startedAt: number): GatewayContext {
  return { requestId, startedAt, key: null };
}
