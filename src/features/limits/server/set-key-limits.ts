import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys, keyLimits, rateLimitTiers } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgLimits } from "~/server/limits-config/limits-directory";
import type { SetKeyLimitsInput } from "../schemas";
import { keyNotFound, tierNotFound } from "./limits-rules";
import { getKeyLimits } from "./get-key-limits";
import type { KeyLimitView } from "./key-limit-view";

type KeyLimitValues = {
  tierId: string | null;
  rpm: number | null;
  tpm: number | null;
  rpd: number | null;
  concurrent: number | null;
  cacheTtlSeconds: number | null;
};

const NONE: KeyLimitValues = {
  tierId: null,
  rpm: null,
  tpm: null,
  rpd: null,
  concurrent: null,
  cacheTtlSeconds: null,
};

function pick<K extends keyof KeyLimitValues>(
  key: K,
  input: Partial<KeyLimitValues>,
  current: KeyLimitValues,
): KeyLimitValues[K] {
  const v = input[key];
  return v === undefined ? current[key] : (v as KeyLimitValues[K]);
}

/**
 * Sets a key's tier, own limits and cache TTL. Fields left out keep their value, null removes it;
 * a key left with nothing set has no row at all. Tier and key must belong to the org (NOT_FOUND
 * otherwise, whatever org they do belong to).
 */
export async function setKeyLimits(
  db: Db,
  args: { orgId: string; actor: Actor; input: SetKeyLimitsInput },
): Promise<KeyLimitView> {
  const { orgId, input } = args;
  await db.transaction(async (tx) => {
    const [key] = await tx
      .select({ id: apiKeys.id, name: apiKeys.name, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, input.keyId), eq(apiKeys.orgId, orgId)))
      .for("update");
    if (!key) throw keyNotFound();
    if (key.revokedAt) throw new DomainError("CONFLICT", "This API key is revoked.");

    let tierId = input.tierId;
    if (input.tierName !== undefined) {
      const [tier] = await tx
        .select({ id: rateLimitTiers.id })
        .from(rateLimitTiers)
        .where(and(eq(rateLimitTiers.orgId, orgId), eq(rateLimitTiers.name, input.tierName)))
        .limit(1);
      if (!tier) {
        throw new DomainError(
          "NOT_FOUND",
          `This organization has no tier named "${input.tierName}".`,
        );
      }
      tierId = tier.id;
    } else if (tierId) {
      const [tier] = await tx
        .select({ id: rateLimitTiers.id })
        .from(rateLimitTiers)
        .where(and(eq(rateLimitTiers.id, tierId), eq(rateLimitTiers.orgId, orgId)))
        .limit(1);
      if (!tier) throw tierNotFound();
    }

    const [row] = await tx
      .select()
      .from(keyLimits)
      .where(and(eq(keyLimits.keyId, key.id), eq(keyLimits.orgId, orgId)))
      .for("update");
    const current: KeyLimitValues = row
      ? {
          tierId: row.tierId,
          rpm: row.rpm,
          tpm: row.tpm,
          rpd: row.rpd,
          concurrent: row.concurrent,
          cacheTtlSeconds: row.cacheTtlSeconds,
        }
      : NONE;
    const patch: Partial<KeyLimitValues> = { ...input, tierId };
    const next: KeyLimitValues = {
      tierId: pick("tierId", patch, current),
      rpm: pick("rpm", patch, current),
      tpm: pick("tpm", patch, current),
      rpd: pick("rpd", patch, current),
      concurrent: pick("concurrent", patch, current),
      cacheTtlSeconds: pick("cacheTtlSeconds", patch, current),
    };
    const changed = (Object.keys(next) as (keyof KeyLimitValues)[]).filter(
      (k) => next[k] !== current[k],
    );
    if (changed.length === 0) return;
    const empty = Object.values(next).every((v) => v === null);
    if (empty) {
      await tx
        .delete(keyLimits)
        .where(and(eq(keyLimits.keyId, key.id), eq(keyLimits.orgId, orgId)));
    } else {
      const values = { ...next, updatedAt: new Date() };
      await tx
        .insert(keyLimits)
        .values({ keyId: key.id, orgId, ...values })
        .onConflictDoUpdate({ target: keyLimits.keyId, set: values });
    }
    await recordAuditEvent(tx, {
      orgId,
      actor: args.actor,
      action: empty ? "api_key.limits_clear" : "api_key.limits_set",
      targetType: "api_key",
      targetId: key.id,
      summary: empty
        ? `Removed the limits of API key ${key.name}`
        : `Changed the limits of API key ${key.name} (${changed.join(", ")})`,
      changes: { before: row ? current : null, after: empty ? null : next },
    });
  });
  invalidateOrgLimits(orgId);
  return getKeyLimits(db, { orgId, keyId: input.keyId });
}
