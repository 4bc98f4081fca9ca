import { asc, count, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { keyLimits, rateLimitTiers } from "~/server/db/schema";
import { toTierView, type TierView } from "./tier-view";

/** The org's tiers by name, each with the number of keys assigned to it. */
export async function listTiers(db: Db, args: { orgId: string }): Promise<TierView[]> {
  const [rows, counts] = await Promise.all([
    db
      .select()
      .from(rateLimitTiers)
      .where(eq(rateLimitTiers.orgId, args.orgId))
      .orderBy(asc(rateLimitTiers.name)),
    db
      .select({ tierId: keyLimits.tierId, n: count() })
      .from(keyLimits)
      .where(eq(keyLimits.orgId, args.orgId))
      .groupBy(keyLimits.tierId),
  ]);
  const byTier = new Map(counts.map((c) => [c.tierId, c.n]));
  return rows.map((r) => toTierView(r, byTier.get(r.id) ?? 0));
}
