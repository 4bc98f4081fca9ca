import type { RateLimits } from "~/gateway/limits/types";
import type { rateLimitTiers } from "~/server/db/schema";
import { limitsOf } from "./limits-rules";

export interface TierView {
  id: string;
  name: string;
  limits: RateLimits;
  /** Keys assigned to this tier. */
  keyCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export function toTierView(row: typeof rateLimitTiers.$inferSelect, keyCount: number): TierView {
  return {
    id: row.id,
    name: row.name,
    limits: limitsOf(row),
    keyCount,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
