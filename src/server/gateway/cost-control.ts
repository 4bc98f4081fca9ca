import { createResponseCache } from "~/gateway/cache";
import { createLimitsEngine } from "~/gateway/limits";
import type { CachePolicy, CachePorts, LimitsPorts, RequestPricer } from "~/gateway/ports";
import { localEmbedder } from "~/lib/embeddings/local-embedder";
import { logger } from "~/lib/logger";
import { env } from "~/env";
import type { DatabaseHandle } from "~/server/db";
import { createBudgetAlertSink } from "~/server/limits-config/budget-alert-sink";
import type { CacheSettings } from "~/server/limits-config/limit-settings";
import { cacheSettingsFor, createLimitsDirectory } from "~/server/limits-config/limits-directory";
import { createBudgetSpendSource } from "~/server/limits/budget-spend-source";
import { createCounterStore } from "~/server/limits/create-counter-store";
import {
  createSemanticCacheStore,
  createSharedCacheStore,
} from "~/server/cache/response-cache/create-cache-stores";
import { createRequestPricer } from "~/server/pricing/price-request";
import { providerSettings } from "~/server/providers/provider-settings";

/**
 * The gateway's cost controls over the database (and Redis when REDIS_URL is set): rate limits
 * and budgets (counters in Redis, or in this process), the response cache (memory, then Redis or
 * the database; semantic on pgvector where the database has it), and hot-path pricing that
 * matches what the request log records.
 */
export interface CostControls {
  limits: LimitsPorts;
  cache: CachePorts;
  pricing: RequestPricer;
  counterStore: "redis" | "memory" | "missing";
  /** Waits for pending settles and cache writes (shutdown, tests). */
  drain(): Promise<void>;
}

/** The org's `off` still caches requests that ask for deterministic output (temperature 0). */
function toPolicy(s: CacheSettings): CachePolicy {
  return {
    cacheDefault: s.cacheDefault === "on" ? "on" : "auto",
    ttlSeconds: s.ttlSeconds,
    semantic: s.semantic,
  };
}

export function createCostControls(handle: DatabaseHandle): CostControls {
  const settings = env();
  const counters = createCounterStore({
    redisUrl: settings.REDIS_URL ?? null,
    serverless: process.env.VERCEL === "1",
  });
  if (counters.kind === "missing") {
    logger.error(
      "REDIS_URL is not set on a serverless host: requests of keys or orgs with rate limits or budgets are refused (503) until it is",
    );
  }
  const alertSink = createBudgetAlertSink(handle.db, {
    allowPrivate: providerSettings().allowPrivateUpstreams,
  });
  const engine = createLimitsEngine({
    store: counters.store,
    spendSource: createBudgetSpendSource(handle.db),
    onBudgetAlert: async (alert) => {
      await alertSink(alert);
    },
    logger,
    failOpen: settings.SWITCHYARD_LIMITS_FAIL_OPEN,
  });
  const cache = createResponseCache({
    l1Bytes: settings.SWITCHYARD_CACHE_MEMORY_MB * 1024 * 1024,
    l2: createSharedCacheStore({ database: handle, redisUrl: settings.REDIS_URL ?? null }),
    semantic: handle.vectorAvailable
      ? {
          store: createSemanticCacheStore(handle),
          embed: localEmbedder.embed,
          embedderId: localEmbedder.id,
        }
      : null,
    logger,
  });
  const pricer = createRequestPricer(handle.db);
  return {
    limits: { directory: createLimitsDirectory(handle.db), engine },
    cache: {
      cache,
      policy(orgId, keyId) {
        const found = cacheSettingsFor(handle.db, orgId, keyId);
        return found instanceof Promise ? found.then(toPolicy) : toPolicy(found);
      },
    },
    pricing: async (input) => {
      const price = await pricer(input);
      return price.unpriced
        ? { costMicros: null, unpriced: true }
        : { costMicros: price.costMicros, unpriced: false };
    },
    counterStore: counters.kind,
    async drain() {
      await Promise.all([engine.drain(), cache.flush()]);
    },
  };
}
