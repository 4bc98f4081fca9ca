import { env } from "~/env";
import { logger } from "~/lib/logger";
import { openDatabase, type DatabaseHandle } from "./client";

import { pgliteDir } from "./paths";

export type { Db, DatabaseHandle } from "./client";
export { pgliteDir } from "./paths";

const globalForDb = globalThis as unknown as { __switchyardDb?: Promise<DatabaseHandle> };

/**
 * The process-wide database, opened and migrated on first use. Kept on globalThis so the
 * custom server and Next's bundled route handlers share one handle (PGlite allows one
 * opener per data dir).
 */
export function getDatabase(): Promise<DatabaseHandle> {
  globalForDb.__switchyardDb ??= (async () => {
    const e = env();
    let handle: DatabaseHandle;
    if (e.DATABASE_URL) {
      handle = await openDatabase({ kind: "postgres", url: e.DATABASE_URL });
    } else {
      // One opener per PGlite data dir: the same lock file the CLI takes when no server is up.
      const { acquireDirectOpenLock } = await import("./socket-server");
      const release = await acquireDirectOpenLock(e.dataDir, (msg) => logger.info(msg));
      try {
        handle = await openDatabase({ kind: "pglite", dataDir: pgliteDir(e.dataDir) });
      } catch (err) {
        release();
        throw err;
      }
      const close = handle.close.bind(handle);
      handle.close = async () => {
        await close();
        release();
      };
    }
    logger.info(`database: ${handle.kind} (${handle.location})`);
    if (!handle.vectorAvailable) {
      logger.warn(
        `vector features unavailable (knowledge bases, semantic cache): pgvector could not be enabled: ${handle.vectorUnavailableReason}`,
      );
    }
    return handle;
  })().catch((err) => {
    globalForDb.__switchyardDb = undefined;
    throw err;
  });
  return globalForDb.__switchyardDb;
}

/** Lets the server register a handle it opened itself (and tests inject one). */
export function setDatabase(handle: DatabaseHandle): void {
  globalForDb.__switchyardDb = Promise.resolve(handle);
}

export async function getDb() {
  return (await getDatabase()).db;
}
