import { breakerKey } from "~/gateway/routing/circuit-breaker";
import type { RouteCandidate } from "~/gateway/routing/route-candidate";
import type { RouteTarget } from "~/gateway/routing/route-schema";
import { DEFAULT_TIMEOUTS } from "~/providers/types";

/** A resolved route target for unit tests: `provider/model` on a mock provider. */
export function candidate(name: string, spec: Partial<RouteTarget> = {}): RouteCandidate {
  const [providerId, model] = name.split("/") as [string, string];
  const named = { orgId: "org_a", providerId, model };
  return {
    ...named,
    key: breakerKey(named),
    target: {
      provider: {
        id: providerId,
        type: "mock",
        baseURL: "mock://test",
        timeouts: DEFAULT_TIMEOUTS,
        models: [model],
      },
      model,
    },
    spec: { model: name, ...spec },
  };
}
