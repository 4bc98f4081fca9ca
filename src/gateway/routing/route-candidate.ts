import type { ModelTarget } from "../context";
import type { BreakerTarget } from "./circuit-breaker";
import type { RouteTarget } from "./route-schema";

/**
 * A route target resolved to a provider the org can reach: what the strategies order and the
 * executor calls. `orgId`/`providerId`/`model` name it for its breaker and latency statistics.
 */
export interface RouteCandidate extends BreakerTarget {
  /** The breaker/latency key (see `breakerKey`). */
  key: string;
  /** The provider (with the target's timeouts applied) and the upstream model name. */
  target: ModelTarget;
  /** The target as written in the route (weight, params, conditions). */
  spec: RouteTarget;
}
