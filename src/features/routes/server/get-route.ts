import { and, desc, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { auditEvents } from "~/server/db/schema";
import { findOrgRoute, routeNotFound } from "./route-rules";
import { toRouteView, type RouteView } from "./route-view";

/** How many changes `history` shows. */
const HISTORY_MAX = 50;

export interface RouteChange {
  at: Date;
  actor: string;
  action: string;
  summary: string;
  /** The version the change produced (the last version, for a deletion). */
  version: number | null;
}

/** One route of the org with its history (who changed what, when; newest first). */
export async function getRoute(
  db: Db,
  args: { orgId: string; input: { id: string } },
): Promise<RouteView & { history: RouteChange[] }> {
  const row = await findOrgRoute(db, args.orgId, args.input.id);
  if (!row) throw routeNotFound();
  const events = await db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.orgId, args.orgId),
        eq(auditEvents.targetType, "route"),
        eq(auditEvents.targetId, row.id),
      ),
    )
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(HISTORY_MAX);
  return {
    ...toRouteView(row),
    history: events.map((e) => ({
      at: e.createdAt,
      actor: e.actorLabel,
      action: e.action,
      summary: e.summary,
      version: typeof e.changes?.version === "number" ? e.changes.version : null,
    })),
  };
}
