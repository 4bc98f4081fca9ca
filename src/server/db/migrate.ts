import path from "node:path";
import type { DatabaseHandle } from "./client";

export interface MigrationResult {
  vectorAvailable: boolean;
  vectorUnavailableReason?: string;
}

const CORE_FOLDER = () => path.join(process.cwd(), "drizzle", "core");
const VECTOR_FOLDER = () => path.join(process.cwd(), "drizzle", "vector");
const VECTOR_TABLE = "__drizzle_migrations_vector";
/** Arbitrary constant: serializes migrations of instances that start together on one Postgres. */
const MIGRATION_LOCK_ID = 727_274_001;

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Applies the core migration set, then tries `CREATE EXTENSION vector` and applies the vector
 * set only if that worked. Without pgvector the vector features report themselves unavailable.
 */
export async function runMigrations(
  handle: DatabaseHandle,
  postgresUrl?: string,
): Promise<MigrationResult> {
  if (handle.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const { drizzle } = await import("drizzle-orm/pglite");
    const db = drizzle(handle.pglite!);
    await migrate(db, { migrationsFolder: CORE_FOLDER() });
    try {
      await handle.pglite!.exec("CREATE EXTENSION IF NOT EXISTS vector");
    } catch (err) {
      return { vectorAvailable: false, vectorUnavailableReason: errorMessage(err) };
    }
    await migrate(db, { migrationsFolder: VECTOR_FOLDER(), migrationsTable: VECTOR_TABLE });
    return { vectorAvailable: true };
  }

  // postgres.js: a dedicated single connection so the advisory lock and the migrations share a session.
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(postgresUrl!, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: CORE_FOLDER() });
    try {
      await client`CREATE EXTENSION IF NOT EXISTS vector`;
    } catch (err) {
      return { vectorAvailable: false, vectorUnavailableReason: errorMessage(err) };
    }
    await migrate(db, { migrationsFolder: VECTOR_FOLDER(), migrationsTable: VECTOR_TABLE });
    return { vectorAvailable: true };
  } finally {
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => {});
    await client.end({ timeout: 5 });
  }
}
