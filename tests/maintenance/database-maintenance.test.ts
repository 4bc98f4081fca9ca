import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { desc, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { openDatabase, type DatabaseHandle } from "~/server/db/client";
import { databaseMaintenanceRuns } from "~/server/db/schema";
import {
  maintainTable,
  runDatabaseMaintenance,
  type MaintainedTable,
} from "~/server/maintenance/run-database-maintenance";
import { createTestDatabase } from "../helpers/db";
import { usePostgres } from "../setup/postgres";

/* Database maintenance: VACUUM (ANALYZE) works on both databases and the run is recorded. */

const databases: [string, () => Promise<DatabaseHandle>][] = [
  ["PGlite", createTestDatabase],
  [
    "PostgreSQL",
    async () => {
      const pg = await usePostgres(inject("postgresRunDir"));
      return openDatabase({ kind: "postgres", url: await pg.createDatabase("maintenance"), max: 2 });
    },
  ],
];

describe.each(databases)("database maintenance on %s", (_name, open) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("vacuums and analyzes every table the database has, and records the run", async () => {
    const { id, tables } = await runDatabaseMaintenance(handle);
    expect(tables.map((t) => t.table)).toContain("request_logs");
    expect(tables.map((t) => t.table)).toContain("usage_daily");
    for (const t of tables) expect(t).toMatchObject({ analyzed: true, vacuumed: true });
    expect(tables.every((t) => t.error === undefined)).toBe(true);
    // The vector tables exist only where pgvector does (PGlite here, not Debian's PostgreSQL).
    expect(tables.some((t) => t.table === "semantic_cache_entries")).toBe(handle.vectorAvailable);
    const [run] = await handle.db
      .select()
      .from(databaseMaintenanceRuns)
      .orderBy(desc(databaseMaintenanceRuns.startedAt))
      .limit(1);
    expect(run).toMatchObject({ id, databaseKind: handle.kind });
    expect(run!.tables).toEqual(tables);
    expect(run!.finishedAt.getTime()).toBeGreaterThanOrEqual(run!.startedAt.getTime());
  });

  it("refuses a table outside its fixed list (names are never taken from input)", async () => {
    await expect(
      maintainTable(handle.db, { table: "users; drop table users" as MaintainedTable }),
    ).rejects.toThrow(/not a maintained table/);
  });

  it("falls back to ANALYZE when VACUUM is refused, and reports why", async () => {
    const dialect = new PgDialect();
    // A database that refuses VACUUM (as a role without the right would) and runs the rest.
    const refusing = new Proxy(handle.db, {
      get(target, prop, receiver) {
        if (prop !== "execute") return Reflect.get(target, prop, receiver);
        return (query: SQL) => {
          if (dialect.sqlToQuery(query).sql.startsWith("vacuum")) {
            return Promise.reject(new Error("must be owner of table request_logs"));
          }
          return target.execute(query);
        };
      },
    });
    expect(await maintainTable(refusing, { table: "request_logs" })).toMatchObject({
      table: "request_logs",
      analyzed: true,
      vacuumed: false,
      error: "vacuum: must be owner of table request_logs",
    });
  });
});
