import type { RouteCandidate } from "./route-candidate";
import type { RouteStrategy } from "./route-schema";

/**
 * The order in which a route tries its (eligible) targets. The first is the one that normally
 * answers; the rest are fallbacks, tried when it fails before its first byte.
 *
 *  - fallback, cascade: as written (for a cascade, cheapest first is the author's job);
 *  - weighted: one target drawn at random by weight, then the others by weight, heaviest first;
 *  - least-latency: targets never measured first (in written order, so each gets explored),
 *    then by the moving average of their latency, fastest first;
 *  - lowest-cost: by price, cheapest first; unpriced targets last, in written order.
 */

export interface OrderInputs {
  /** Uniform in [0, 1). */
  random(): number;
  /** Recent average latency in ms; undefined when never measured. */
  latencyOf(candidate: RouteCandidate): number | undefined;
  /** $ per 1M input + output tokens; null when unknown. */
  priceOf(candidate: RouteCandidate): number | null;
}

const weightOf = (c: RouteCandidate): number => c.spec.weight ?? 1;

function weighted(candidates: readonly RouteCandidate[], random: () => number): RouteCandidate[] {
  let total = 0;
  for (const c of candidates) total += weightOf(c);
  let point = random() * total;
  let picked = candidates.length - 1;
  for (let i = 0; i < candidates.length; i++) {
    point -= weightOf(candidates[i]!);
    if (point < 0) {
      picked = i;
      break;
    }
  }
  const rest = candidates.filter((_, i) => i !== picked);
  // Array.prototype.sort is stable: equal weights keep their written order.
  rest.sort((a, b) => weightOf(b) - weightOf(a));
  return [candidates[picked]!, ...rest];
}

function leastLatency(
  candidates: readonly RouteCandidate[],
  inputs: OrderInputs,
): RouteCandidate[] {
  const untried: RouteCandidate[] = [];
  const measured: { c: RouteCandidate; ms: number }[] = [];
  for (const c of candidates) {
    const ms = inputs.latencyOf(c);
    if (ms === undefined) untried.push(c);
    else measured.push({ c, ms });
  }
  measured.sort((a, b) => a.ms - b.ms);
  return [...untried, ...measured.map((m) => m.c)];
}

function lowestCost(candidates: readonly RouteCandidate[], inputs: OrderInputs): RouteCandidate[] {
  const priced: { c: RouteCandidate; price: number }[] = [];
  const unpriced: RouteCandidate[] = [];
  for (const c of candidates) {
    const price = inputs.priceOf(c);
    if (price === null || !Number.isFinite(price)) unpriced.push(c);
    else priced.push({ c, price });
  }
  priced.sort((a, b) => a.price - b.price);
  return [...priced.map((p) => p.c), ...unpriced];
}

export function orderCandidates(
  strategy: RouteStrategy,
  candidates: readonly RouteCandidate[],
  inputs: OrderInputs,
): RouteCandidate[] {
  if (candidates.length <= 1) return [...candidates];
  switch (strategy) {
    case "weighted":
      return weighted(candidates, inputs.random);
    case "least-latency":
      return leastLatency(candidates, inputs);
    case "lowest-cost":
      return lowestCost(candidates, inputs);
    case "fallback":
    case "cascade":
      return [...candidates];
  }
}
