import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateApiKey } from "~/server/gateway/api-key-cache";

/**
 * Revokes a key of this org. This instance drops it from its key cache at once; other instances
 * refuse it once their cache entry expires (at most SWITCHYARD_KEY_CACHE_TTL_MS, ≤ 5 s).
 */
export async function revokeApiKey(
  db: Db,
  args: { orgId: string; actor: Actor; input: { id: string } },
): Promise<void> {
  const hash = await db.transaction(async (tx) => {
    const [key] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, args.input.id), eq(apiKeys.orgId, args.orgId)));
    if (!key) throw new DomainError("NOT_FOUND", "No API key with that id in this organization.");
    if (key.revokedAt) throw new DomainError("CONFLICT", "This API key is already revoked.");
    await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, key.id), isNull(apiKeys.revokedAt)));
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "api_key.revoke",
      targetType: "api_key",
      targetId: key.id,
      summary: `Revoked API key ${key.name} (${key.prefix}…${key.last4})`,
    });
    return key.hash;
  });
  invalidateApiKey(hash);
}
