import { and, eq } from "drizzle-orm";
import { randomBase62 } from "~/lib/ids";
import type { Db } from "~/server/db";
import { routes } from "~/server/db/schema";
import { DomainError } from "~/server/domain/domain-error";

/** Checks shared by the route domain functions (not domain functions themselves). */

export function newRouteId(): string {
  return `rte_${randomBase62(20)}`;
}

/** Whether a failed write was the (org, name) unique index deciding a race. */
export function isRouteNameConflict(err: unknown): boolean {
  for (
    let e = err as
        | { message?: unknown; cause?: unknown; constraint_name?: unknown; constraint?: unknown }
        | undefined,
      i = 0;
    e && i < 4;
    e = e.cause as typeof e, i++
  ) {
    const texts = [
      String(e.message ?? ""),
      String(e.constraint_name ?? ""),
      String(e.constraint ?? ""),
    ];
    if (texts.some((t) => t.includes("routes_org_name_idx"))) return true;
  }
  return false;
}

export function nameTaken(name: string): DomainError {
  return new DomainError("CONFLICT", `This organization already has a route named "${name}".`);
}

export function routeNotFound(): DomainError {
  return new DomainError("NOT_FOUND", "No route with that id in this organization.");
}

/** `stored` null: the row changed between reading and writing it (a concurrent edit). */
export function staleVersion(name: string, stored: number | null, yours: number): DomainError {
  const now = stored === null ? "it has a newer version" : `it is at version ${stored}`;
  return new DomainError(
    "CONFLICT",
    `Route "${name}" was changed since you opened it (${now}; your copy is version ${yours}). Reload it and make your change again.`,
  );
}

/** The org's route row with this id (null when none: other orgs' ids are simply not found). */
export async function findOrgRoute(db: Db, orgId: string, id: string) {
  const [row] = await db
    .select()
    .from(routes)
    .where(and(eq(routes.id, id), eq(routes.orgId, orgId)))
    .limit(1);
  return row ?? null;
}
