import type { UsageMeasures } from "../usage-types";

export function zeroMeasures(): UsageMeasures {
  return {
    requests: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    spendMicros: 0n,
    pricedRequests: 0,
    unpricedRequests: 0,
    cacheHits: 0,
    savedMicros: 0n,
  };
}

/** Exact: money stays bigint micro-dollars. */
export function addMeasures(a: UsageMeasures, b: UsageMeasures): UsageMeasures {
  return {
    requests: a.requests + b.requests,
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    spendMicros: a.spendMicros + b.spendMicros,
    pricedRequests: a.pricedRequests + b.pricedRequests,
    unpricedRequests: a.unpricedRequests + b.unpricedRequests,
    cacheHits: a.cacheHits + b.cacheHits,
    savedMicros: a.savedMicros + b.savedMicros,
  };
}
