import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateApiKey } from "~/server/gateway/api-key-cache";
import type { UpdateApiKeyPermissionsInput } from "../schemas";
import { toApiKeyView, type ApiKeyView } from "./api-key-view";

/**
 * Changes which models and endpoint groups a key of this org may use (a field left out keeps its
 * value, null lifts the limit). This instance drops the key from its cache at once; other
 * instances apply the change when their cache entry expires (≤ SWITCHYARD_KEY_CACHE_TTL_MS).
 */
export async function updateApiKeyPermissions(
  db: Db,
  args: { orgId: string; actor: Actor; input: UpdateApiKeyPermissionsInput },
): Promise<ApiKeyView> {
  const { input } = args;
  const patch: Partial<typeof apiKeys.$inferInsert> = {};
  if (input.allowedModels !== undefined) patch.allowedModels = input.allowedModels;
  if (input.allowedEndpoints !== undefined) patch.allowedEndpoints = input.allowedEndpoints;
  const row = await db.transaction(async (tx) => {
    const [key] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, input.id), eq(apiKeys.orgId, args.orgId)));
    if (!key) throw new DomainError("NOT_FOUND", "No API key with that id in this organization.");
    if (key.revokedAt) throw new DomainError("CONFLICT", "This API key is revoked.");
    if (Object.keys(patch).length === 0) return key;
    const [updated] = await tx
      .update(apiKeys)
      .set(patch)
      .where(and(eq(apiKeys.id, key.id), eq(apiKeys.orgId, args.orgId)))
      .returning();
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "api_key.update",
      targetType: "api_key",
      targetId: key.id,
      summary: `Changed the permissions of API key ${key.name} (${key.prefix}…${key.last4})`,
      changes: {
        allowedModels: updated!.allowedModels,
        allowedEndpoints: updated!.allowedEndpoints,
      },
    });
    return updated!;
  });
  invalidateApiKey(row.hash);
  return toApiKeyView(row);
}
