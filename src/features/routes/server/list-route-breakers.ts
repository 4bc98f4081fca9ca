import { routingStateFor, type GatewayPorts } from "~/gateway";
import type { BreakerState } from "~/gateway/routing/circuit-breaker";
import { resolveRoute } from "~/gateway/routing/route-index";
import type { RouteDefinition } from "~/gateway/routing/route-schema";

/** A route target's circuit breaker, as this process's gateway knows it. */
export interface TargetBreakerView {
  /** The target as written in the route. */
  target: string;
  /** What it resolved to; null when no provider of the org offers it. */
  providerId: string | null;
  model: string | null;
  /** `unresolved`: no provider offers it (the gateway skips it). */
  state: BreakerState | "unresolved";
  failures: number;
  openedAt: number | null;
  nextProbeAt: number | null;
}

export interface RouteBreakersView {
  /** The server's clock (ms since the epoch), to count down to the next probe. */
  now: number;
  routes: { name: string; targets: TargetBreakerView[] }[];
}

/**
 * The circuit-breaker state of every target of every route the org is served (its enabled routes
 * and the instance routes it has not replaced), read from this process's gateway. Breakers live
 * per process: with several instances each shows its own view.
 */
export async function listRouteBreakers(args: {
  orgId: string;
  /** The gateway whose state to read (default: this process's). */
  ports?: GatewayPorts;
}): Promise<RouteBreakersView> {
  const { orgId } = args;
  let ports = args.ports;
  if (!ports) {
    const { getGatewayPorts } = await import("~/server/gateway");
    ports = await getGatewayPorts();
  }
  const routes: readonly RouteDefinition[] = ports.routes ? await ports.routes.forOrg(orgId) : [];
  const providers = await ports.providers.listForOrg(orgId);
  const breakers = new Map(
    routingStateFor(ports)
      .breakers.snapshot(orgId)
      .map((b) => [`${b.providerId}/${b.model}`, b]),
  );
  return {
    now: (ports.clock ?? { now: () => Date.now() }).now(),
    routes: routes.map((definition) => {
      const resolved = resolveRoute(definition, providers, orgId);
      const bySpec = new Map(resolved.candidates.map((c) => [c.spec, c]));
      // In written order, resolved or not.
      const targets = definition.targets.map((spec): TargetBreakerView => {
        const candidate = bySpec.get(spec);
        if (!candidate) {
          return {
            target: spec.model,
            providerId: null,
            model: null,
            state: "unresolved",
            failures: 0,
            openedAt: null,
            nextProbeAt: null,
          };
        }
        const breaker = breakers.get(`${candidate.providerId}/${candidate.model}`);
        return {
          target: spec.model,
          providerId: candidate.providerId,
          model: candidate.model,
          state: breaker?.state ?? "closed",
          failures: breaker?.failures ?? 0,
          openedAt: breaker?.openedAt ?? null,
          nextProbeAt: breaker?.nextProbeAt ?? null,
        };
      });
      return { name: definition.name, targets };
    }),
  };
}
