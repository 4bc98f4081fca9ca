import type { RateLimits } from "~/gateway/limits/types";
import type { orgLimits } from "~/server/db/schema";
import { limitsOf } from "./limits-rules";

export interface OrgLimitView {
  id: string;
  /** null: the org-wide row. */
  model: string | null;
  limits: RateLimits;
  updatedAt: Date;
}

export function toOrgLimitView(row: typeof orgLimits.$inferSelect): OrgLimitView {
  return { id: row.id, model: row.model, limits: limitsOf(row), updatedAt: row.updatedAt };
}
