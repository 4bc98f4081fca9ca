import { env, type Env } from "~/env";
import {
  parsePrivateAllowlist,
  setPrivateAllowlist,
  type PrivateAllowlist,
} from "~/lib/net/public-address";
import type { ConfigProviderDefinition } from "~/server/config/config-schema";
import { DEFAULT_TIMEOUTS, type ProviderConfig, type ProviderTimeouts } from "~/providers/types";

/** Ids of instance-wide providers. Org providers may never take these names, configured or not. */
export const OPENAI_PROVIDER_ID = "openai";
export const MOCK_PROVIDER_ID = "mock";
export const RESERVED_PROVIDER_IDS: readonly string[] = [OPENAI_PROVIDER_ID, MOCK_PROVIDER_ID];

const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
/** Seed list of the built-in mock provider (its adapter's own listing replaces it when it has one). */
export const MOCK_PROVIDER_MODELS: readonly string[] = ["mock-gpt", "mock-embed"];

type ProviderEnv = Pick<
  Env,
  | "NODE_ENV"
  | "OPENAI_API_KEY"
  | "OPENAI_BASE_URL"
  | "OPENAI_MODELS"
  | "SWITCHYARD_ENABLE_MOCK_PROVIDER"
  | "SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS"
  | "SWITCHYARD_MODEL_REFRESH_MS"
  | "SWITCHYARD_UPSTREAM_CONNECT_TIMEOUT_MS"
  | "SWITCHYARD_UPSTREAM_FIRST_BYTE_TIMEOUT_MS"
  | "SWITCHYARD_UPSTREAM_IDLE_TIMEOUT_MS"
  | "SWITCHYARD_UPSTREAM_TOTAL_TIMEOUT_MS"
> &
  Partial<Pick<Env, "SWITCHYARD_PRIVATE_UPSTREAM_ALLOWLIST">>;

/** An instance-wide provider as configured; `discover` = its model list comes from the upstream. */
export interface InstanceProviderSpec {
  config: ProviderConfig;
  discover: boolean;
  /** Where it comes from, for people reading the console. */
  source: "env" | "built-in" | "config";
}

export interface ProviderSettings {
  /** Upstream timeouts every provider starts from (spec defaults, then env). */
  timeouts: ProviderTimeouts;
  allowPrivateUpstreams: boolean;
  /** Private hosts and networks org URLs may reach although private upstreams are refused. */
  privateAllowlist: PrivateAllowlist;
  mockEnabled: boolean;
  modelRefreshMs: number;
  instanceProviders: InstanceProviderSpec[];
}

/** Provider timeouts: `base`, then each override that is a positive number. */
export function mergeTimeouts(
  base: ProviderTimeouts,
  overrides: Partial<Record<keyof ProviderTimeouts, number | undefined>> | null | undefined,
): ProviderTimeouts {
  const out = { ...base };
  for (const k of Object.keys(base) as (keyof ProviderTimeouts)[]) {
    const v = overrides?.[k];
    if (typeof v === "number" && Number.isFinite(v) && v > 0) out[k] = v;
  }
  return out;
}

/** Whether a base URL is OpenAI's own API (else it is some OpenAI-compatible server). */
function isOpenAIHost(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname.toLowerCase() === "api.openai.com";
  } catch {
    return false;
  }
}

function parseModelList(value: string | undefined): string[] {
  return [
    ...new Set(
      (value ?? "")
        .split(",")
        .map((m) => m.trim())
        .filter(Boolean),
    ),
  ];
}

/** Everything about providers that the environment decides (pure: tests pass their own env). */
export function providerSettingsFromEnv(e: ProviderEnv): ProviderSettings {
  const production = e.NODE_ENV === "production";
  const timeouts = mergeTimeouts(DEFAULT_TIMEOUTS, {
    connectMs: e.SWITCHYARD_UPSTREAM_CONNECT_TIMEOUT_MS,
    firstByteMs: e.SWITCHYARD_UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
    idleMs: e.SWITCHYARD_UPSTREAM_IDLE_TIMEOUT_MS,
    totalMs: e.SWITCHYARD_UPSTREAM_TOTAL_TIMEOUT_MS,
  });
  const mockEnabled = e.SWITCHYARD_ENABLE_MOCK_PROVIDER ?? !production;
  const instanceProviders: InstanceProviderSpec[] = [];
  if (e.OPENAI_API_KEY) {
    const baseURL = (e.OPENAI_BASE_URL ?? OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, "");
    const models = parseModelList(e.OPENAI_MODELS);
    instanceProviders.push({
      config: {
        id: OPENAI_PROVIDER_ID,
        type: isOpenAIHost(baseURL) ? "openai" : "openai-compatible",
        baseURL,
        apiKey: e.OPENAI_API_KEY,
        timeouts,
        models,
      },
      discover: models.length === 0,
      source: "env",
    });
  }
  if (mockEnabled) {
    instanceProviders.push({
      config: {
        id: MOCK_PROVIDER_ID,
        type: "mock",
        baseURL: "mock://switchyard",
        timeouts,
        models: [...MOCK_PROVIDER_MODELS],
      },
      discover: true,
      source: "built-in",
    });
  }
  return {
    timeouts,
    allowPrivateUpstreams: e.SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS ?? !production,
    privateAllowlist: parsePrivateAllowlist(e.SWITCHYARD_PRIVATE_UPSTREAM_ALLOWLIST ?? []),
    mockEnabled,
    modelRefreshMs: e.SWITCHYARD_MODEL_REFRESH_MS,
    instanceProviders,
  };
}

const state = globalThis as unknown as { __switchyardProviderSettings?: ProviderSettings };

/** This process's provider settings (from the validated env, computed once). */
export function providerSettings(): ProviderSettings {
  if (!state.__switchyardProviderSettings) {
    const settings = providerSettingsFromEnv(env());
    // The address checks and connect-time guards (src/lib/net) read the exceptions from here on.
    setPrivateAllowlist(settings.privateAllowlist);
    state.__switchyardProviderSettings = settings;
  }
  return state.__switchyardProviderSettings;
}

/** The instance provider a config file entry describes (timeouts start from `baseTimeouts`). */
export function configProviderSpec(
  p: ConfigProviderDefinition,
  baseTimeouts: ProviderTimeouts,
): InstanceProviderSpec {
  const config: ProviderConfig = {
    id: p.id,
    type: p.type,
    baseURL: p.baseURL,
    ...(p.apiKey !== undefined ? { apiKey: p.apiKey } : {}),
    headers: { ...p.headers },
    ...(p.options !== undefined ? { options: { ...p.options } } : {}),
    timeouts: mergeTimeouts(baseTimeouts, p.timeouts),
    models: [...(p.models ?? [])],
  };
  return { config, discover: p.models === undefined, source: "config" };
}

/**
 * The instance providers with the config file's added: env providers first (a config provider
 * with the same id takes its place: `onReplace` is told), then the config file's in file order,
 * then the built-in ones. Config providers are operator-controlled, so unlike org providers they
 * may point at private addresses whatever SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS says.
 */
export function withConfigProviders(
  settings: Pick<ProviderSettings, "instanceProviders" | "timeouts">,
  providers: readonly ConfigProviderDefinition[],
  onReplace: (id: string) => void = () => {},
): InstanceProviderSpec[] {
  const fromConfig = new Map(
    providers.map((p) => [p.id, configProviderSpec(p, settings.timeouts)]),
  );
  const out: InstanceProviderSpec[] = [];
  for (const spec of settings.instanceProviders.filter((s) => s.source === "env")) {
    const replacement = fromConfig.get(spec.config.id);
    if (replacement) {
      onReplace(spec.config.id);
      out.push(replacement);
      fromConfig.delete(spec.config.id);
    } else out.push(spec);
  }
  out.push(...fromConfig.values());
  out.push(...settings.instanceProviders.filter((s) => s.source !== "env"));
  return out;
}
