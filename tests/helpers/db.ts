import { openDatabase, type DatabaseHandle } from "~/server/db/client";

/** A fresh, migrated in-memory PGlite database for one test file. */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  return openDatabase({ kind: "pglite", dataDir: "memory://" });
}
