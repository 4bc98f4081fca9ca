import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "~/server/db";
import { routes } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { invalidateOrgRoutes } from "~/server/routing/route-directory";
import { documentProblemsMessage, parseRoutesDocument } from "../route-document";
import type { ApplyRoutesInput } from "../schemas";
import { changeRouteRow } from "./change-route-row";
import { insertRouteRow } from "./insert-route-row";
import { warningContext, type RouteEnvironment } from "./route-context";
import { isRouteNameConflict } from "./route-rules";
import { routesWarnings } from "./route-warnings";

export interface ApplyRoutesReport {
  created: string[];
  updated: string[];
  unchanged: string[];
  warnings: string[];
}

/**
 * Upserts the routes of a YAML/JSON document by name (`routes apply`): every route is validated
 * before anything is written, then all of them are written in one transaction, so a document with
 * one bad route changes nothing. Routes the document does not name are left alone; an updated
 * route keeps whether it is enabled.
 */
export async function applyRoutes(
  db: Db,
  args: { orgId: string; actor: Actor; input: ApplyRoutesInput; env?: RouteEnvironment },
): Promise<ApplyRoutesReport> {
  const { orgId } = args;
  const parsed = parseRoutesDocument(args.input.document);
  if (!parsed.ok) throw new DomainError("BAD_REQUEST", documentProblemsMessage(parsed.problems));
  const report: ApplyRoutesReport = { created: [], updated: [], unchanged: [], warnings: [] };
  await db
    .transaction(async (tx) => {
      const names = parsed.routes.map((r) => r.name);
      const existing = await tx
        .select()
        .from(routes)
        .where(and(eq(routes.orgId, orgId), inArray(routes.name, names)));
      const byName = new Map(existing.map((row) => [row.name, row]));
      for (const definition of parsed.routes) {
        const current = byName.get(definition.name);
        if (!current) {
          await insertRouteRow(tx, {
            orgId,
            actor: args.actor,
            definition,
            enabled: true,
            via: "apply",
          });
          report.created.push(definition.name);
          continue;
        }
        const { changed } = await changeRouteRow(tx, {
          orgId,
          actor: args.actor,
          current,
          definition,
          via: "apply",
        });
        (changed ? report.updated : report.unchanged).push(definition.name);
      }
    })
    .catch((err: unknown) => {
      if (isRouteNameConflict(err)) {
        throw new DomainError(
          "CONFLICT",
          "Another change added a route of the same name meanwhile; nothing was changed. Apply the document again.",
        );
      }
      throw err;
    });
  if (report.created.length > 0 || report.updated.length > 0) invalidateOrgRoutes(orgId);
  const context = await warningContext(db, orgId, args.env);
  if (context) report.warnings = routesWarnings(parsed.routes, context);
  return report;
}
