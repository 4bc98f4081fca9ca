import { and, desc, eq, gte, ilike, lt, lte, or, type SQL } from "drizzle-orm";
import type { Db } from "~/server/db";
import { auditEvents } from "~/server/db/schema";
import { DomainError } from "~/server/domain/domain-error";

function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  if (!id || Number.isNaN(createdAt.getTime())) throw new DomainError("BAD_REQUEST", "Invalid cursor.");
  return { createdAt, id };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Newest first, keyset-paginated, filterable; always within one org. */
export async function listAuditEvents(
  db: Db,
  args: {
    orgId: string;
    input: { action?: string; actor?: string; since?: Date; until?: Date; cursor?: string; limit: number };
  },
) {
  const { input } = args;
  const where: SQL[] = [eq(auditEvents.orgId, args.orgId)];
  if (input.action) where.push(eq(auditEvents.action, input.action));
  if (input.actor) where.push(ilike(auditEvents.actorLabel, `%${escapeLike(input.actor)}%`));
  if (input.since) where.push(gte(auditEvents.createdAt, input.since));
  if (input.until) where.push(lte(auditEvents.createdAt, input.until));
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    where.push(
      or(
        lt(auditEvents.createdAt, c.createdAt),
        and(eq(auditEvents.createdAt, c.createdAt), lt(auditEvents.id, c.id)),
      )!,
    );
  }
  const rows = await db
    .select({
      id: auditEvents.id,
      actorType: auditEvents.actorType,
      actorLabel: auditEvents.actorLabel,
      action: auditEvents.action,
      targetType: auditEvents.targetType,
      targetId: auditEvents.targetId,
      summary: auditEvents.summary,
      changes: auditEvents.changes,
      createdAt: auditEvents.createdAt,
    })
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > input.limit && last ? encodeCursor(last) : null };
}
