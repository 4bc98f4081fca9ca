import { and, desc, eq, isNull, type SQL } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys, keyLimits, rateLimitTiers } from "~/server/db/schema";
import { toKeyLimitView, type KeyLimitView } from "./key-limit-view";

/** The columns of a key with its limits and tier (shared by the list and single-key reads). */
export function keyLimitQuery(db: Db, where: SQL | undefined) {
  return db
    .select({
      keyId: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      last4: apiKeys.last4,
      expiresAt: apiKeys.expiresAt,
      tierId: rateLimitTiers.id,
      tierName: rateLimitTiers.name,
      tierRpm: rateLimitTiers.rpm,
      tierTpm: rateLimitTiers.tpm,
      tierRpd: rateLimitTiers.rpd,
      tierConcurrent: rateLimitTiers.concurrent,
      rpm: keyLimits.rpm,
      tpm: keyLimits.tpm,
      rpd: keyLimits.rpd,
      concurrent: keyLimits.concurrent,
      cacheTtlSeconds: keyLimits.cacheTtlSeconds,
    })
    .from(apiKeys)
    .leftJoin(keyLimits, and(eq(keyLimits.keyId, apiKeys.id), eq(keyLimits.orgId, apiKeys.orgId)))
    .leftJoin(
      rateLimitTiers,
      and(eq(rateLimitTiers.id, keyLimits.tierId), eq(rateLimitTiers.orgId, apiKeys.orgId)),
    )
    .where(where);
}

/** Every usable (not revoked) key of the org with its tier, own limits and effective limits. */
export async function listKeyLimits(db: Db, args: { orgId: string }): Promise<KeyLimitView[]> {
  const rows = await keyLimitQuery(
    db,
    and(eq(apiKeys.orgId, args.orgId), isNull(apiKeys.revokedAt)),
  )
    .orderBy(desc(apiKeys.createdAt))
    .limit(1000);
  const now = new Date();
  return rows.map((r) => toKeyLimitView(r, now));
}
