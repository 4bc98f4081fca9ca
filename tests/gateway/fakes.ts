import { createHash } from "node:crypto";
import { generateApiKey } from "~/lib/api-key-secret";
import { createGateway } from "~/gateway";
import type {
  ApiKeyRecord,
  GatewayPorts,
  ModelInfo,
  ReadinessReport,
  RequestLogEntry,
} from "~/gateway/ports";
import type { ProviderConfig } from "~/providers/types";

/** In-memory ports for the gateway core, with handles to inspect what the core did. */
export function memoryPorts(overrides: Partial<GatewayPorts> = {}) {
  const keys = new Map<string, ApiKeyRecord>();
  const touched: string[] = [];
  const lookups: string[] = [];
  const logged: { msg: string; fields?: Record<string, unknown> }[] = [];
  const clock = { current: Date.parse("2030-01-01T00:00:00Z"), now: () => clock.current };
  const models = new Map<string, ModelInfo[]>();
  /** Provider lists by org (the ProviderDirectory port). */
  const providers = new Map<string, ProviderConfig[]>();
  /** Everything handed to the request-log sink. */
  const recorded: RequestLogEntry[] = [];
  let readiness: () => Promise<ReadinessReport> = async () => ({
    database: "ok",
    vector: "available",
  });
  // A plain digest stands in for the instance HMAC: the core must only pass it through.
  const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

  const ports: GatewayPorts = {
    apiKeys: {
      findByHash: async (hash) => {
        lookups.push(hash);
        return keys.get(hash) ?? null;
      },
    },
    hashKey,
    touchKey: (id) => touched.push(id),
    models: { listModels: (key) => models.get(key.orgId) ?? [] },
    readiness: () => readiness(),
    providers: { listForOrg: (orgId) => providers.get(orgId) ?? [] },
    requestLog: { record: (entry) => recorded.push(entry) },
    clock,
    logger: {
      warn: (msg, fields) => logged.push({ msg, fields }),
      error: (msg, fields) => logged.push({ msg, fields }),
    },
    ...overrides,
  };

  return {
    ports,
    touched,
    lookups,
    logged,
    clock,
    models,
    providers,
    recorded,
    setReadiness(fn: () => Promise<ReadinessReport>) {
      readiness = fn;
    },
    /** Stores a new key and returns its secret. */
    addKey(record: Partial<ApiKeyRecord> = {}): { secret: string; record: ApiKeyRecord } {
      const secret = generateApiKey();
      const full: ApiKeyRecord = {
        id: `key_${keys.size + 1}`,
        orgId: "org_a",
        name: "test key",
        allowedModels: null,
        metadata: {},
        expiresAt: null,
        revokedAt: null,
        ...record,
      };
      keys.set(hashKey(secret), full);
      return { secret, record: full };
    },
  };
}

export function memoryGateway(overrides: Partial<GatewayPorts> = {}) {
  const fakes = memoryPorts(overrides);
  const gateway = createGateway(fakes.ports);
  const call = (path: string, init: RequestInit = {}) =>
    gateway.fetch(new Request(`http://gateway.test${path}`, init));
  return { ...fakes, gateway, call };
}

export async function errorOf(res: Response) {
  const body = (await res.json()) as {
    error: { message: string; type: string; param: unknown; code: unknown };
  };
  return body.error;
}
