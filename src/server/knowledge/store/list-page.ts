import { and, asc, desc, eq, gt, lt, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { ListQuery } from "~/gateway/knowledge/types";

/**
 * Cursor pagination the way OpenAI lists work: newest first by default, `after`/`before` name
 * the id of a row already seen. Rows are ordered by (created_at, id) so equal timestamps page
 * stably; the cursor row's position comes from `cursorCreatedAt` (null when the id is unknown,
 * which yields an empty page, as a cursor outside the list should).
 */
export function pageOrder(query: ListQuery, createdAt: PgColumn, id: PgColumn): SQL[] {
  return query.order === "asc" ? [asc(createdAt), asc(id)] : [desc(createdAt), desc(id)];
}

export function pageCursor(
  query: ListQuery,
  createdAt: PgColumn,
  id: PgColumn,
  cursor: { id: string; createdAt: Date } | null,
  direction: "after" | "before",
): SQL | undefined {
  if (cursor === null) return undefined;
  const forward = (query.order === "asc") === (direction === "after");
  const cmp = forward ? gt : lt;
  return or(cmp(createdAt, cursor.createdAt), and(eq(createdAt, cursor.createdAt), cmp(id, cursor.id)));
}

/** Takes `limit + 1` rows from a query and reports whether there were more. */
export function toPage<T>(rows: T[], limit: number): { data: T[]; has_more: boolean } {
  return { data: rows.slice(0, limit), has_more: rows.length > limit };
}
