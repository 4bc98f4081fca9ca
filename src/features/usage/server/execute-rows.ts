import type { SQL } from "drizzle-orm";
import type { Db } from "~/server/db";

/**
 * Runs a raw statement and returns its rows, whichever driver is underneath: postgres.js answers
 * with an array of rows, PGlite with `{ rows }`.
 */
export async function executeRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return (result as { rows?: T[] }).rows ?? [];
}

/** Aggregates arrive as text (exact for bigint sums on every driver): text → integer. */
export function toBigInt(text: string | null | undefined): bigint {
  return text === null || text === undefined ? 0n : BigInt(text);
}

/** Token and request counts: far below 2^53, so plain numbers. */
export function toCount(text: string | null | undefined): number {
  return text === null || text === undefined ? 0 : Number(text);
}
