import type { orgProviders } from "~/server/db/schema";
import type { DiscoveryStatus } from "~/server/providers/instance-providers";

export interface ProviderTestResultView {
  at: Date;
  ok: boolean;
  /** Why it failed (null when it worked). */
  message: string | null;
}

/** What lists show of an org provider: never the API key, only its last 4 characters. */
export interface OrgProviderView {
  id: string;
  name: string;
  type: string;
  baseUrl: string;
  hasApiKey: boolean;
  apiKeyLast4: string | null;
  headers: Record<string, string>;
  models: string[];
  timeouts: Partial<Record<"connectMs" | "firstByteMs" | "idleMs" | "totalMs", number>>;
  /** Adapter-specific settings (e.g. Azure's `apiVersion`); empty = the adapter's defaults. */
  options: Record<string, string>;
  priority: number;
  lastTest: ProviderTestResultView | null;
  createdAt: Date;
  updatedAt: Date;
}

/** An instance-wide provider as org members see it (no URL or key: those are the operator's). */
export interface InstanceProviderView {
  id: string;
  type: string;
  source: "env" | "built-in" | "config";
  models: string[];
  discovery: DiscoveryStatus;
  refreshedAt: Date | null;
}

/** `last_test_result` holds `ok` or `error: <message>`. */
export const TEST_OK = "ok";

export function encodeTestResult(ok: boolean, message: string | null): string {
  return ok ? TEST_OK : `error: ${message ?? "failed"}`.slice(0, 500);
}

export function toOrgProviderView(row: typeof orgProviders.$inferSelect): OrgProviderView {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    baseUrl: row.baseUrl,
    hasApiKey: row.apiKeyEncrypted !== null,
    apiKeyLast4: row.apiKeyEncrypted !== null ? row.apiKeyLast4 : null,
    headers: row.headers,
    models: row.models,
    timeouts: row.timeouts,
    options: row.options ?? {},
    priority: row.priority,
    lastTest:
      row.lastTestedAt && row.lastTestOk
        ? {
            at: row.lastTestedAt,
            ok: row.lastTestOk === TEST_OK,
            message: row.lastTestOk === TEST_OK ? null : row.lastTestOk.replace(/^error: /, ""),
          }
        : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
