import type { RateLimits } from "~/gateway/limits/types";
import { effectiveKeyLimits } from "~/server/limits-config/compile-org-limits";

export interface KeyLimitView {
  keyId: string;
  name: string;
  prefix: string;
  last4: string;
  status: "active" | "expired";
  tier: { id: string; name: string; limits: RateLimits } | null;
  /** The key's own values (null per measure = from the tier, or none). */
  own: RateLimits;
  /** What the gateway enforces: own value per measure, else the tier's; null = no key limit. */
  effective: RateLimits | null;
  cacheTtlSeconds: number | null;
}

export interface KeyLimitRow {
  keyId: string;
  name: string;
  prefix: string;
  last4: string;
  expiresAt: Date | null;
  tierId: string | null;
  tierName: string | null;
  tierRpm: number | null;
  tierTpm: number | null;
  tierRpd: number | null;
  tierConcurrent: number | null;
  rpm: number | null;
  tpm: number | null;
  rpd: number | null;
  concurrent: number | null;
  cacheTtlSeconds: number | null;
}

export function toKeyLimitView(row: KeyLimitRow, now = new Date()): KeyLimitView {
  const tier =
    row.tierId && row.tierName !== null
      ? {
          id: row.tierId,
          name: row.tierName,
          limits: {
            rpm: row.tierRpm,
            tpm: row.tierTpm,
            rpd: row.tierRpd,
            concurrent: row.tierConcurrent,
          },
        }
      : null;
  const own = { rpm: row.rpm, tpm: row.tpm, rpd: row.rpd, concurrent: row.concurrent };
  return {
    keyId: row.keyId,
    name: row.name,
    prefix: row.prefix,
    last4: row.last4,
    status: row.expiresAt && row.expiresAt <= now ? "expired" : "active",
    tier,
    own,
    effective: effectiveKeyLimits(own, tier?.limits ?? null),
    cacheTtlSeconds: row.cacheTtlSeconds,
  };
}
