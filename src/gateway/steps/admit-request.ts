import type { JsonObject } from "~/providers/types";
import { addResponseHeaders, type GatewayContext, type ModelTarget } from "../context";
import { NOOP_ADMISSION } from "../limits/limits-engine";
import { createRequestEstimate, type RequestEstimate } from "../limits/lazy-token-estimate";
import type { ApiKeyRecord, RequestPricer } from "../ports";
import type { ResolvedPorts } from "../route";

/**
 * Admits the request under its key's, org's and model's rate limits and its budgets (throws the
 * engine's 429 / 503 otherwise) and keeps the admission on the context, to be settled with the
 * real usage when the request is recorded. Without limits configured this costs one cached
 * directory read.
 *
 * A request served from the cache takes a request slot (RPM, RPD, concurrency) but no tokens and
 * no budget: it costs nothing upstream.
 */
export async function admitRequest(
  ports: ResolvedPorts,
  ctx: GatewayContext,
  key: ApiKeyRecord,
  body: JsonObject,
  targets: readonly ModelTarget[],
  fromCache: boolean,
): Promise<void> {
  const limits = ports.limits;
  if (limits === undefined) return;
  const model = ctx.requestedModel ?? "";
  const found = limits.directory.forRequest(key.orgId, key.id, model);
  const requestLimits = found instanceof Promise ? await found : found;
  const embeddings = ctx.endpoint === "embeddings";
  const estimate = fromCache ? null : createRequestEstimate(body);
  const grant = await limits.engine.admit({
    orgId: key.orgId,
    keyId: key.id,
    model,
    endUser: ctx.endUser,
    limits: requestLimits,
    estimateTokens:
      estimate === null ? () => 0 : embeddings ? estimate.promptTokens : estimate.totalTokens,
    maxCostMicros:
      estimate === null
        ? 0
        : () => maxCostMicros(ports.pricing, key.orgId, targets, estimate, embeddings),
  });
  if (grant === NOOP_ADMISSION) return;
  for (const _ in grant.headers) {
    addResponseHeaders(ctx, grant.headers);
    break;
  }
  ctx.admission = { grant, needsCost: requestLimits.budgets.length > 0 };
}

/**
 * The most the request can cost: its prompt estimate and maximum output priced for every target
 * it may be sent to (a route's most expensive one); null (unpriced) when any of them has no
 * price, since the request could land there.
 */
async function maxCostMicros(
  pricing: RequestPricer | undefined,
  orgId: string,
  targets: readonly ModelTarget[],
  estimate: RequestEstimate,
  embeddings: boolean,
): Promise<number | null> {
  if (pricing === undefined || targets.length === 0) return null;
  const promptTokens = await estimate.promptTokens();
  const completionTokens = embeddings ? 0 : estimate.maxOutputTokens;
  let most = 0;
  for (const target of targets) {
    const priced = await pricing({
      orgId,
      providerType: target.provider.type,
      providerId: target.provider.id,
      model: target.model,
      usage: { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens },
    });
    if (priced.unpriced || priced.costMicros === null) return null;
    most = Math.max(most, Number(priced.costMicros));
  }
  return most;
}
