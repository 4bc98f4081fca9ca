import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { executeRows } from "~/features/usage/server/execute-rows";
import type { DatabaseHandle, Db } from "~/server/db";
import { databaseMaintenanceRuns, type TableMaintenanceResult } from "~/server/db/schema";

/**
 * The tables that grow with traffic: fresh planner statistics keep the Usage and Logs queries on
 * their indexes, and VACUUM returns the space of rows the retention and cleanup jobs delete.
 * Tables a database does not have (vector tables without pgvector, jobs tables before their
 * migration) are skipped.
 */
export const MAINTAINED_TABLES = [
  "request_logs",
  "usage_daily",
  "response_cache",
  "semantic_cache_entries",
  "prompt_embeddings",
  "knowledge_chunks",
  "budget_alerts",
  "audit_events",
  "health_snapshots",
  "job_runs",
  "job_steps",
] as const;

export type MaintainedTable = (typeof MAINTAINED_TABLES)[number];

async function tableExists(db: Db, table: string): Promise<boolean> {
  const [row] = await executeRows<{ oid: string | null }>(
    db,
    sql`select to_regclass(${`public.${table}`})::text as oid`,
  );
  return Boolean(row?.oid);
}

/**
 * VACUUM (ANALYZE) one table; where VACUUM is refused (e.g. a managed database role without the
 * right, or a pooler that wraps statements in a transaction) it falls back to ANALYZE alone.
 * Both PGlite and PostgreSQL accept VACUUM outside a transaction, which is how `db.execute` runs.
 * Returns null when the table does not exist here.
 */
export async function maintainTable(
  db: Db,
  args: { table: MaintainedTable; clock?: () => number },
): Promise<TableMaintenanceResult | null> {
  const clock = args.clock ?? Date.now;
  if (!(MAINTAINED_TABLES as readonly string[]).includes(args.table)) {
    throw new Error(`not a maintained table: ${args.table}`);
  }
  if (!(await tableExists(db, args.table))) return null;
  const started = clock();
  // The name comes from the fixed list above, never from input.
  const name = sql.raw(`"${args.table}"`);
  try {
    await db.execute(sql`vacuum (analyze) ${name}`);
    return { table: args.table, analyzed: true, vacuumed: true, ms: clock() - started };
  } catch (vacuumError) {
    try {
      await db.execute(sql`analyze ${name}`);
      return {
        table: args.table,
        analyzed: true,
        vacuumed: false,
        ms: clock() - started,
        error: `vacuum: ${messageOf(vacuumError)}`,
      };
    } catch (analyzeError) {
      return {
        table: args.table,
        analyzed: false,
        vacuumed: false,
        ms: clock() - started,
        error: `analyze: ${messageOf(analyzeError)}`,
      };
    }
  }
}

function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 500);
}

/** Records what one maintenance run did (the console and CLI read it back). */
export async function recordDatabaseMaintenance(
  db: Db,
  args: {
    databaseKind: DatabaseHandle["kind"];
    tables: TableMaintenanceResult[];
    startedAt: Date;
    finishedAt: Date;
  },
): Promise<{ id: string }> {
  const id = randomUUID();
  await db.insert(databaseMaintenanceRuns).values({ id, ...args });
  return { id };
}

/** Every maintained table in turn, then the record of the run (for the CLI and tests). */
export async function runDatabaseMaintenance(
  handle: Pick<DatabaseHandle, "db" | "kind">,
  args: { now?: () => Date } = {},
): Promise<{ id: string; tables: TableMaintenanceResult[] }> {
  const now = args.now ?? (() => new Date());
  const startedAt = now();
  const tables: TableMaintenanceResult[] = [];
  for (const table of MAINTAINED_TABLES) {
    const result = await maintainTable(handle.db, { table });
    if (result) tables.push(result);
  }
  const { id } = await recordDatabaseMaintenance(handle.db, {
    databaseKind: handle.kind,
    tables,
    startedAt,
    finishedAt: now(),
  });
  return { id, tables };
}
