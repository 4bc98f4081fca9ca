import { logger } from "~/lib/logger";
import type { ProviderConfig } from "~/providers/types";
import type { LoadedConfig } from "~/server/config/load-config";
import { instanceConfig, onInstanceConfigChange } from "~/server/config/instance-config";
import { listUpstreamModels } from "./provider-adapters";
import {
  providerSettings,
  withConfigProviders,
  type InstanceProviderSpec,
} from "./provider-settings";

/** Lists a provider's models upstream (the adapter's `listModels`, bounded by `signal`). */
export type ModelDiscoverer = (config: ProviderConfig, signal: AbortSignal) => Promise<string[]>;

export type DiscoveryStatus = "static" | "pending" | "ok" | "failed";

export interface InstanceProviderStatus {
  id: string;
  type: string;
  source: InstanceProviderSpec["source"];
  models: readonly string[];
  status: DiscoveryStatus;
  refreshedAt: Date | null;
  lastError: string | null;
}

interface Entry {
  spec: InstanceProviderSpec;
  config: ProviderConfig;
  status: DiscoveryStatus;
  refreshedAt: number | null;
  /** When the next discovery is due (after a success: the refresh period; after a failure: a short backoff). */
  dueAt: number;
  lastError: string | null;
  inflight: Promise<void> | null;
}

export interface InstanceProviderSetOptions {
  discover?: ModelDiscoverer;
  refreshMs: number;
  /** After a failed discovery, the next attempt waits this long (the last good list stays). */
  retryMs?: number;
  /** How long one discovery may take. */
  discoveryTimeoutMs?: number;
  /** How long a caller waits for the very first discovery before going on with what is known. */
  firstWaitMs?: number;
  now?: () => number;
}

/**
 * The instance-wide providers (from env and the config file) with their model lists. Configured
 * lists are used as they are; the others are discovered from the upstream's `/models` on first
 * use, then refreshed in the background every `refreshMs` (callers never wait for a refresh). A
 * failed discovery keeps the last good list, is logged, and is retried after `retryMs`.
 */
export class InstanceProviderSet {
  private readonly entries: Entry[];
  private readonly discover: ModelDiscoverer;
  private readonly refreshMs: number;
  private readonly retryMs: number;
  private readonly discoveryTimeoutMs: number;
  private readonly firstWaitMs: number;
  private readonly now: () => number;
  /** The configs as last published (a new array whenever a model list changes). */
  private current: readonly ProviderConfig[];
  /** Bumped whenever `current` changes, so callers can reuse what they built from it. */
  version = 0;

  constructor(specs: InstanceProviderSpec[], options: InstanceProviderSetOptions) {
    this.discover = options.discover ?? discoverWithAdapter;
    this.refreshMs = options.refreshMs;
    this.retryMs = options.retryMs ?? Math.min(60_000, options.refreshMs);
    this.discoveryTimeoutMs = options.discoveryTimeoutMs ?? 10_000;
    this.firstWaitMs = options.firstWaitMs ?? 5_000;
    this.now = options.now ?? Date.now;
    this.entries = specs.map(newEntry);
    this.current = Object.freeze(this.entries.map((e) => e.config));
  }

  /**
   * Swaps in a new set of providers (a reloaded config file). A provider whose spec did not change
   * keeps its entry, so its discovered model list and refresh schedule carry over.
   */
  replace(specs: InstanceProviderSpec[]): void {
    const previous = new Map(this.entries.map((e) => [e.spec.config.id, e]));
    const next = specs.map((spec) => {
      const old = previous.get(spec.config.id);
      return old && sameSpec(old.spec, spec) ? old : newEntry(spec);
    });
    this.entries.splice(0, this.entries.length, ...next);
    this.current = Object.freeze(this.entries.map((e) => e.config));
    this.version++;
  }

  /** Provider ids configured on this instance. */
  ids(): string[] {
    return this.entries.map((e) => e.config.id);
  }

  /**
   * The instance providers. Waits (at most `firstWaitMs`) only for a first discovery that has
   * never finished; stale lists are refreshed in the background.
   */
  async list(): Promise<readonly ProviderConfig[]> {
    const first: Promise<void>[] = [];
    for (const entry of this.entries) {
      const pending = this.refreshIfDue(entry);
      if (pending && entry.status === "pending") first.push(pending);
    }
    if (first.length > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.allSettled(first),
        new Promise((resolve) => {
          timer = setTimeout(resolve, this.firstWaitMs);
          timer.unref?.();
        }),
      ]);
      clearTimeout(timer);
    }
    return this.current;
  }

  /** The providers as they are right now, without starting or waiting for anything. */
  peek(): readonly ProviderConfig[] {
    return this.current;
  }

  status(): InstanceProviderStatus[] {
    return this.entries.map((e) => ({
      id: e.config.id,
      type: e.config.type,
      source: e.spec.source,
      models: e.config.models,
      status: e.status,
      refreshedAt: e.refreshedAt === null ? null : new Date(e.refreshedAt),
      lastError: e.lastError,
    }));
  }

  /** Starts a discovery for `entry` when one is due; returns the in-flight one, if any. */
  private refreshIfDue(entry: Entry): Promise<void> | null {
    if (entry.status === "static") return null;
    if (entry.inflight) return entry.inflight;
    if (this.now() < entry.dueAt) return null;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error("model discovery timed out")),
      this.discoveryTimeoutMs,
    );
    timer.unref?.();
    entry.inflight = Promise.resolve()
      .then(() => this.discover(entry.spec.config, controller.signal))
      .then((models) => {
        const list = [
          ...new Set(models.filter((m) => typeof m === "string" && m.length > 0)),
        ].sort();
        if (list.length === 0) throw new Error("the upstream listed no models");
        entry.status = "ok";
        entry.lastError = null;
        entry.refreshedAt = this.now();
        entry.dueAt = this.now() + this.refreshMs;
        if (list.join("\n") !== entry.config.models.join("\n")) this.publish(entry, list);
      })
      .catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        entry.status = entry.refreshedAt === null ? "failed" : "ok";
        entry.lastError = message;
        entry.dueAt = this.now() + this.retryMs;
        logger.warn("model discovery failed; keeping the last known list", {
          provider: entry.config.id,
          models: entry.config.models.length,
          error: message.slice(0, 300),
        });
      })
      .finally(() => {
        clearTimeout(timer);
        entry.inflight = null;
      });
    return entry.inflight;
  }

  private publish(entry: Entry, models: string[]): void {
    entry.config = { ...entry.config, models };
    this.current = Object.freeze(this.entries.map((e) => e.config));
    this.version++;
  }
}

function newEntry(spec: InstanceProviderSpec): Entry {
  return {
    spec,
    config: { ...spec.config, models: [...spec.config.models] },
    status: spec.discover ? "pending" : "static",
    refreshedAt: null,
    dueAt: 0,
    lastError: null,
    inflight: null,
  };
}

function sameSpec(a: InstanceProviderSpec, b: InstanceProviderSpec): boolean {
  return (
    a.source === b.source &&
    a.discover === b.discover &&
    JSON.stringify(a.config) === JSON.stringify(b.config)
  );
}

const discoverWithAdapter: ModelDiscoverer = async (config, signal) =>
  (await listUpstreamModels(config, signal)).map((m) => m.id);

// On globalThis so the custom server and Next's bundled code share one set (one discovery).
const state = globalThis as unknown as { __switchyardInstanceProviders?: InstanceProviderSet };

/** Env and built-in providers plus the config file's (see `withConfigProviders`). */
function instanceProviderSpecs(config: LoadedConfig | null): InstanceProviderSpec[] {
  return withConfigProviders(providerSettings(), config?.providers ?? [], (id) =>
    logger.info("config provider replaces the provider of the same id from the environment", {
      provider: id,
    }),
  );
}

/**
 * The process-wide instance providers (built from env and the config file on first use; a bad
 * config file throws its `ConfigError` here, which fails start-up).
 */
export function sharedInstanceProviders(): InstanceProviderSet {
  if (!state.__switchyardInstanceProviders) {
    const settings = providerSettings();
    const set = new InstanceProviderSet(instanceProviderSpecs(instanceConfig()), {
      refreshMs: settings.modelRefreshMs,
    });
    onInstanceConfigChange((config) => set.replace(instanceProviderSpecs(config)));
    state.__switchyardInstanceProviders = set;
  }
  return state.__switchyardInstanceProviders;
}
