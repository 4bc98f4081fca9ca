import path from "node:path";
import { env, rawEnvironment } from "~/env";
import type { Policy } from "~/gateway/guardrails/policy/schema";
import type { RouteDefinition } from "~/gateway/routing/route-schema";
import { logger } from "~/lib/logger";
import { knownProviderTypes } from "~/server/providers/provider-adapters";
import { providerSettings } from "~/server/providers/provider-settings";
import { ConfigError } from "./config-error";
import { loadSwitchyardConfig, type LoadedConfig } from "./load-config";

/**
 * This process's config file (`SWITCHYARD_CONFIG`): loaded once, on first use at start-up (a bad
 * file fails start-up with every problem listed), and again on SIGHUP, when a bad file is logged
 * and the last good config stays in force.
 */

type ConfigListener = (config: LoadedConfig | null) => void;

interface ConfigState {
  loaded: boolean;
  config: LoadedConfig | null;
  listeners: Set<ConfigListener>;
  reloadSignalWatched: boolean;
}

// On globalThis so the custom server and Next's bundled copy share one config (and one reload).
const store = globalThis as unknown as { __switchyardInstanceConfig?: ConfigState };
const state = (): ConfigState =>
  (store.__switchyardInstanceConfig ??= {
    loaded: false,
    config: null,
    listeners: new Set(),
    reloadSignalWatched: false,
  });

function readConfigFile(file: string): LoadedConfig {
  const config = loadSwitchyardConfig(file, rawEnvironment(), {
    providerTypes: knownProviderTypes(),
    knownProviderIds: providerSettings().instanceProviders.map((p) => p.config.id),
  });
  for (const warning of config.warnings) logger.warn(`config: ${warning}`);
  logger.info("config file loaded", {
    file,
    providers: config.providers.length,
    routes: config.routes.length,
  });
  return config;
}

/** The config file's contents, or null when SWITCHYARD_CONFIG is not set. Throws `ConfigError`. */
export function instanceConfig(): LoadedConfig | null {
  const s = state();
  if (!s.loaded) {
    const file = env().SWITCHYARD_CONFIG;
    s.config = file ? readConfigFile(file) : null;
    s.loaded = true;
    if (file) watchReloadSignal();
  }
  return s.config;
}

/** The routes the config file declares (instance-wide: every org has them). */
export function instanceRoutes(): readonly RouteDefinition[] {
  return instanceConfig()?.routes ?? [];
}

/** The guardrail policies the config file declares (instance-wide: every org runs them). */
export function instancePolicies(): readonly Policy[] {
  return instanceConfig()?.policies ?? [];
}

/** Called with the new config after every successful reload. */
export function onInstanceConfigChange(listener: ConfigListener): () => void {
  state().listeners.add(listener);
  return () => state().listeners.delete(listener);
}

/**
 * Reads the file again. On success the new config replaces the old one and listeners are told;
 * on failure the old one stays and the problems are logged. Returns whether it was replaced.
 */
export function reloadInstanceConfig(): boolean {
  const file = env().SWITCHYARD_CONFIG;
  if (!file) return false;
  const s = state();
  let next: LoadedConfig;
  try {
    next = readConfigFile(file);
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : String(err);
    logger.error(`config reload failed; keeping the last good config\n${message}`);
    return false;
  }
  s.config = next;
  s.loaded = true;
  for (const listener of s.listeners) {
    try {
      listener(next);
    } catch (err) {
      logger.error("config reload: applying the new config failed", {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return true;
}

/** SIGHUP = re-read the config file (the usual signal for it; without a handler it would end the process). */
function watchReloadSignal(): void {
  const s = state();
  if (s.reloadSignalWatched) return;
  s.reloadSignalWatched = true;
  process.on("SIGHUP", () => {
    logger.info("SIGHUP received: reloading the config file", {
      file: path.basename(env().SWITCHYARD_CONFIG ?? ""),
    });
    reloadInstanceConfig();
  });
}
