import {
  createGateway,
  createProviderModelCatalog,
  createRoutingState,
  type Gateway,
  type GatewayPorts,
  type ResponseClass,
} from "~/gateway";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import { hashApiKeyForInstance } from "~/server/api-key-hashing";
import { getDatabase, type DatabaseHandle } from "~/server/db";
import { createOrgSettingsReader } from "~/server/org-settings/org-settings-reader";
import { createProviderDirectory } from "~/server/providers/provider-directory";
import { requestLogWriterFor, stopRequestLogWriter } from "~/server/request-log/request-log-writer";
import { createRouteDirectory } from "~/server/routing/route-directory";
import { createGuardrailDirectory } from "~/server/guardrails/guardrail-directory";
import { createApiKeyStore } from "./api-key-store";
import { KeyUsageBatcher } from "./key-usage-batcher";
import { createReadinessProbe } from "./readiness";
import { createCostControls, type CostControls } from "./cost-control";
import { quitRedisClients } from "~/server/redis/redis-client";
import { catalogModelPrices } from "~/server/pricing/model-price-lookup";
import { createKnowledgeBase } from "~/server/knowledge/knowledge-base";
import { env } from "~/env";

export { invalidateApiKey } from "./api-key-cache";

interface GatewayRuntime {
  handle: DatabaseHandle;
  ports: GatewayPorts;
  gateway: Gateway;
  usage: KeyUsageBatcher;
  controls: CostControls;
}

// On globalThis so the custom server and Next's bundled route handlers share one gateway,
// one key cache, one last-used batcher and one request-log queue.
const state = globalThis as unknown as { __switchyardGateway?: GatewayRuntime };

function createRuntime(handle: DatabaseHandle): GatewayRuntime {
  const usage = new KeyUsageBatcher(handle.db);
  usage.start();
  const providers = createProviderDirectory(handle.db);
  const requestLog = requestLogWriterFor(handle);
  const routes = createRouteDirectory(handle.db);
  const controls = createCostControls(handle);
  const ports: GatewayPorts = {
    apiKeys: createApiKeyStore(handle.db),
    hashKey: hashApiKeyForInstance,
    touchKey: usage.touch,
    models: createProviderModelCatalog(providers, routes),
    readiness: createReadinessProbe(handle, () => requestLog.stats(), controls),
    providers,
    routes,
    prices: catalogModelPrices,
    // Explicit, not left to the core's per-ports default: that default lives in a module-level
    // WeakMap, and Next's bundled copy of the core keeps a second one, so the console would read
    // breakers the node listener's traffic never touched.
    routing: createRoutingState(),
    requestLog,
    orgSettings: createOrgSettingsReader(handle.db),
    guardrails: createGuardrailDirectory(handle.db),
    limits: controls.limits,
    cache: controls.cache,
    pricing: controls.pricing,
    knowledge: createKnowledgeBase({
      handle,
      providers,
      maxFileBytes: Math.round(env().SWITCHYARD_MAX_FILE_MB * 1024 * 1024),
    }),
  };
  return { handle, ports, gateway: createGateway(ports), usage, controls };
}

async function getRuntime(): Promise<GatewayRuntime> {
  const handle = await getDatabase();
  const current = state.__switchyardGateway;
  if (current?.handle === handle) return current;
  if (current) void current.usage.stop();
  const runtime = createRuntime(handle);
  state.__switchyardGateway = runtime;
  return runtime;
}

/** The gateway wired to the process database (built on first use; rebuilt if the database is replaced). */
export async function getGateway(): Promise<Gateway> {
  return (await getRuntime()).gateway;
}

/**
 * The ports the process gateway runs on: for the console's views of its live state (circuit
 * breakers via `routingStateFor`) and for requests it makes through the gateway itself.
 */
export async function getGatewayPorts(): Promise<GatewayPorts> {
  return (await getRuntime()).ports;
}

/**
 * A gateway over the same ports (key cache, last-used batcher, database) whose responses are
 * built with `Response` — for the node:http listener, which passes its adapter's class.
 */
export async function createGatewayWith(Response: ResponseClass | undefined): Promise<Gateway> {
  const runtime = await getRuntime();
  return Response ? createGateway(runtime.ports, { Response }) : runtime.gateway;
}

/**
 * After the last request finished (server shutdown, tests): writes pending request logs and
 * last-used times, closes the upstream connection pools, forgets the gateway.
 */
export async function shutdownGateway(): Promise<void> {
  const current = state.__switchyardGateway;
  state.__switchyardGateway = undefined;
  // Settles and cache writes first: a settle after the last request may still queue log entries.
  await current?.controls.drain().catch(() => {});
  await Promise.all([current?.usage.stop(), stopRequestLogWriter(), closeUpstreamPools()]);
  await quitRedisClients();
}
