import { ProviderError, type JsonObject } from "~/providers/types";
import type { GatewayContext } from "../context";
import { GatewayError } from "../gateway-error";
import type { ApiKeyRecord } from "../ports";
import { routeFailure } from "../provider-failure";
import type { ResolvedPorts } from "../route";
import {
  adapterFor,
  callBuffered,
  callStream,
  sendBuffered,
  sendStream,
  upstreamBody,
  type BufferedAnswer,
} from "../steps/call-provider";
import type { ClientLink } from "../steps/client-link";
import type { AttemptRecord } from "./attempt-record";
import { escalationReason } from "./cascade";
import { estimatePromptTokens, targetApplies, type ConditionInputs } from "./conditions";
import { executeRoute, RouteExhausted, type RouteSuccess } from "./execute-route";
import type { RouteCandidate } from "./route-candidate";
import type { ResolvedRoute } from "./route-index";
import {
  cascadeCheckSchema,
  DEFAULT_BREAKER,
  DEFAULT_RETRY,
  type CascadeCheck,
} from "./route-schema";
import { orderCandidates } from "./strategies";

/**
 * Serves a request whose model named a route: picks the eligible targets (conditions), orders
 * them (strategy), and lets the executor call them (retries, breakers, hedging, cascade). The
 * answer that wins is sent and recorded like a direct model's, with every attempt in the log.
 *
 * Streams are served from the first target that produces a first byte; what happens after that
 * is the relay's (a later failure ends the stream with its error event, never a second target).
 */

const DEFAULT_CASCADE_CHECK: CascadeCheck = cascadeCheckSchema.parse({});

function eligibleCandidates(
  ctx: GatewayContext,
  key: ApiKeyRecord,
  body: JsonObject,
  route: ResolvedRoute,
  attempts: AttemptRecord[],
  now: number,
): RouteCandidate[] {
  let tokens: number | undefined;
  const inputs: ConditionInputs = {
    keyId: key.id,
    keyName: key.name,
    keyMetadata: key.metadata,
    requestMetadata: ctx.metadata,
    promptTokens: () => (tokens ??= estimatePromptTokens(body)),
  };
  for (const unknown of route.unresolved) {
    if (!targetApplies(unknown.spec.when, inputs)) continue;
    attempts.push({
      providerId: unknown.providerId,
      model: unknown.model,
      status: 404,
      errorCode: "model_not_found",
      latencyMs: 0,
      startedAt: now,
      outcome: "skipped-unknown",
    });
  }
  const eligible = route.candidates.filter((c) => targetApplies(c.spec.when, inputs));
  if (eligible.length === 0) {
    throw new GatewayError(
      "no_route_target",
      400,
      `No target of the route \`${route.definition.name}\` applies to this request: the targets' conditions (API key, metadata, prompt size) exclude it.`,
      "model",
    );
  }
  return eligible;
}

async function pricesOf(
  ports: ResolvedPorts,
  candidates: readonly RouteCandidate[],
): Promise<Map<RouteCandidate, number | null>> {
  const prices = new Map<RouteCandidate, number | null>();
  const lookup = ports.prices;
  if (lookup === undefined) return prices;
  await Promise.all(
    candidates.map(async (c) => {
      try {
        prices.set(c, await lookup.priceOf(c.target.provider, c.model));
      } catch (err) {
        ports.logger.warn("route: model price unavailable; the target is ordered as unpriced", {
          providerId: c.providerId,
          model: c.model,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }),
  );
  return prices;
}

/** One AbortSignal for the whole routed request: fires when the client goes away. */
function requestSignal(client: ClientLink): AbortSignal {
  const controller = new AbortController();
  const abort = () => controller.abort();
  // node:http reports a disconnect through onCancel; its `signal` is a shared one that never
  // aborts, so listening to it would only pile up listeners.
  if (client.onCancel) client.onCancel(abort);
  else if (client.signal.aborted) abort();
  else client.signal.addEventListener("abort", abort, { once: true });
  return controller.signal;
}

export async function serveRoute(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  key: ApiKeyRecord,
  body: JsonObject,
  route: ResolvedRoute,
  client: ClientLink,
): Promise<Response> {
  const { definition } = route;
  const state = ports.routing;
  const attempts: AttemptRecord[] = [];
  ctx.attempts = attempts;
  const eligible = eligibleCandidates(ctx, key, body, route, attempts, ports.clock.now());
  const prices = definition.strategy === "lowest-cost" ? await pricesOf(ports, eligible) : null;
  const ordered = orderCandidates(definition.strategy, eligible, {
    random: state.random,
    latencyOf: (c) => state.latency.estimate(c.key),
    priceOf: (c) => prices?.get(c) ?? null,
  });
  const stream = ctx.stream && ctx.endpoint !== "embeddings";
  const common = {
    candidates: ordered,
    retry: definition.retry ?? DEFAULT_RETRY,
    breaker: definition.breaker ?? DEFAULT_BREAKER,
    state,
    clock: ports.clock,
    signal: requestSignal(client),
    attempts,
  };
  try {
    return stream
      ? await serveStream(ports, ctx, body, client, common)
      : await serveBuffered(ports, ctx, body, route, client, common);
  } catch (thrown) {
    if (!(thrown instanceof RouteExhausted)) throw thrown;
    if (thrown.lastCandidate !== null) ctx.target = thrown.lastCandidate.target;
    if (thrown.aborted) {
      throw new GatewayError(
        "client_closed_request",
        499,
        "The client closed the request before the answer was ready.",
      );
    }
    const last = thrown.lastError;
    if (last !== null && !(last instanceof ProviderError) && !(last instanceof GatewayError)) {
      ports.logger.error("gateway: unhandled error in a route target", {
        requestId: ctx.requestId,
        route: definition.name,
        error: last instanceof Error ? last.message : String(last),
        stack: last instanceof Error ? last.stack : undefined,
      });
    }
    throw routeFailure(definition.name, thrown);
  }
}

type Common = Omit<Parameters<typeof executeRoute>[0], "call" | "hedgeAfterMs" | "escalation">;

async function serveBuffered(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  body: JsonObject,
  route: ResolvedRoute,
  client: ClientLink,
  common: Common,
): Promise<Response> {
  const { definition } = route;
  const cascade = definition.strategy === "cascade" && ctx.endpoint === "chat.completions";
  const check = definition.cascade ?? DEFAULT_CASCADE_CHECK;
  const success: RouteSuccess<BufferedAnswer> = await executeRoute<BufferedAnswer>({
    ...common,
    // A cascade's targets are tried one after another by design: no hedging.
    hedgeAfterMs: definition.strategy === "cascade" ? null : (definition.hedgeAfterMs ?? null),
    call: (candidate, signal) => {
      const { target } = candidate;
      const adapter = adapterFor(ports, target);
      const upstream = upstreamBody(ctx, body, target, candidate.spec.params);
      return callBuffered(ports, ctx, adapter, target, upstream.body, {
        signal,
        onCancel: client.onCancel,
        requestId: ctx.requestId,
        bodyText: upstream.text,
      });
    },
    escalation: cascade ? (answer) => escalationReason(answer.result.body, body, check) : undefined,
  });
  success.settle("ok");
  ctx.target = success.candidate.target;
  return sendBuffered(ports, ctx, success.value, success.calls);
}

async function serveStream(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  body: JsonObject,
  client: ClientLink,
  common: Common,
): Promise<Response> {
  let success: RouteSuccess<Response> | null = null;
  // The relay may end (and want to record) before the executor has returned — a short stream
  // piped at once — so its end is held until then.
  const held: { end: (() => void) | null } = { end: null };
  const result = await executeRoute<Response>({
    ...common,
    hedgeAfterMs: null,
    call: async (candidate, signal, callNumber) => {
      const { target } = candidate;
      const adapter = adapterFor(ports, target);
      const upstream = upstreamBody(ctx, body, target, candidate.spec.params);
      ctx.target = target;
      const upstreamStart = ports.clock.now();
      // `signal` aborts this call if the request ends while it is being set up; `onCancel`
      // (node:http) also reaches the stream once it is being relayed.
      const streamed = await callStream(ctx, adapter, target, upstream.body, {
        signal,
        onCancel: client.onCancel,
        requestId: ctx.requestId,
        bodyText: upstream.text,
      });
      return sendStream(
        ports,
        ctx,
        streamed.body,
        client,
        upstreamStart,
        callNumber,
        (summary, record) => {
          const finish = () => {
            const served = success!;
            if (summary.outcome === "upstream_error") {
              served.record.outcome = "error";
              served.record.status = 502;
              served.record.errorCode = "upstream_stream_error";
              served.settle("failed", summary.error);
            } else if (summary.outcome === "client_abort") {
              served.record.outcome = "aborted";
              served.settle("aborted");
            } else {
              served.settle("ok");
            }
            record();
          };
          if (success === null) held.end = finish;
          else finish();
        },
      );
    },
  });
  success = result;
  ctx.target = result.candidate.target;
  held.end?.();
  return result.value;
}
