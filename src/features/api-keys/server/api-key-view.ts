import type { apiKeys } from "~/server/db/schema";

export type ApiKeyStatus = "active" | "revoked" | "expired";

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  createdByLabel: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  allowedModels: string[] | null;
  allowedEndpoints: string[] | null;
  metadata: Record<string, string>;
  status: ApiKeyStatus;
}

/** The listable view of a key row: never the hash. */
export function toApiKeyView(row: typeof apiKeys.$inferSelect, now = new Date()): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    last4: row.last4,
    createdByLabel: row.createdByLabel,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    allowedModels: row.allowedModels,
    allowedEndpoints: row.allowedEndpoints,
    metadata: row.metadata,
    status: row.revokedAt ? "revoked" : row.expiresAt && row.expiresAt <= now ? "expired" : "active",
  };
}
