import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** What one table's maintenance did (see `runDatabaseMaintenance`). */
export interface TableMaintenanceResult {
  table: string;
  analyzed: boolean;
  vacuumed: boolean;
  ms: number;
  /** Why a statement failed (the other tables still ran). */
  error?: string;
}

/** One run of the weekly database maintenance (instance-wide, not tenant data). */
export const databaseMaintenanceRuns = pgTable(
  "database_maintenance_runs",
  {
    id: text("id").primaryKey(),
    /** `pglite` or `postgres`. */
    databaseKind: text("database_kind").notNull(),
    tables: jsonb("tables").$type<TableMaintenanceResult[]>().notNull(),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("database_maintenance_runs_started_idx").on(t.startedAt)],
);

/** What `/readyz` reported at one moment (instance-wide): a history to look back on. */
export interface HealthSnapshotReport {
  database: "ok" | "unavailable";
  /** Why the database did not answer. */
  databaseError?: string;
  vector?: "available" | "unavailable";
  limits?: { store: string; status: string };
  requestLog?: Record<string, number>;
  cache?: Record<string, number>;
  /** Provider circuit breakers this instance tracks, by state (counts only: no tenant data). */
  breakers?: { closed: number; open: number; halfOpen: number };
}

export const healthSnapshots = pgTable(
  "health_snapshots",
  {
    id: text("id").primaryKey(),
    /** The instance that took the snapshot (several may share one database). */
    instance: text("instance").notNull(),
    /** `ok` when every part answered, `degraded` otherwise. */
    status: text("status", { enum: ["ok", "degraded"] }).notNull(),
    report: jsonb("report").$type<HealthSnapshotReport>().notNull(),
    takenAt: timestamp("taken_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("health_snapshots_taken_idx").on(t.takenAt)],
);
