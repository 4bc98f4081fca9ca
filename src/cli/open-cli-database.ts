import { openDatabase, redactUrl, type DatabaseHandle } from "~/server/db/client";
import { runMigrations } from "~/server/db/migrate";
import { pgliteDir } from "~/server/db";
import {
  acquireDirectOpenLock,
  dbSocketFile,
  dbSocketUrl,
  isProcessAlive,
  probeTcp,
  readDbSocketFile,
  type DbSocketAddress,
} from "~/server/db/socket-server";

export type CliDatabaseVia = "postgres" | "socket" | "pglite";

export interface CliDatabase {
  handle: DatabaseHandle;
  /** `postgres`: DATABASE_URL; `socket`: the running server's embedded database; `pglite`: opened directly. */
  via: CliDatabaseVia;
  close(): Promise<void>;
}

export interface OpenCliDatabaseOptions {
  dataDir: string;
  databaseUrl?: string;
  /** Apply migrations even through the server's socket (`db migrate`); otherwise the server did. */
  migrate?: boolean;
  progress: (message: string) => void;
}

/**
 * The database a CLI command works on:
 * 1. `DATABASE_URL` → postgres.js (migrations applied, under the advisory lock);
 * 2. a server is up on the embedded database (`<dataDir>/db-socket.json`, live pid, answering)
 *    → postgres.js to its socket (PGlite allows one process per data dir);
 * 3. otherwise PGlite is opened directly, migrations applied.
 */
export async function openCliDatabase(options: OpenCliDatabaseOptions): Promise<CliDatabase> {
  const { progress } = options;
  if (options.databaseUrl) {
    progress(`Connecting to ${redactUrl(options.databaseUrl)}…`);
    const handle = await openDatabase({
      kind: "postgres",
      url: options.databaseUrl,
      migrate: false,
      max: 1,
    });
    try {
      await handle.ping();
      progress("Applying migrations…");
      Object.assign(handle, await runMigrations(handle, options.databaseUrl));
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
    return { handle, via: "postgres", close: () => handle.close() };
  }

  const viaSocket = await openServerSocket(options);
  if (viaSocket) return viaSocket;

  const releaseLock = await acquireDirectOpenLock(options.dataDir, progress);
  try {
    // A server may have started while this process waited for the lock.
    const late = await openServerSocket(options);
    if (late) {
      releaseLock();
      return late;
    }
    const dir = pgliteDir(options.dataDir);
    progress(`Opening embedded database (${dir})…`);
    const handle = await openDatabase({ kind: "pglite", dataDir: dir, migrate: false });
    try {
      progress("Applying migrations…");
      Object.assign(handle, await runMigrations(handle));
    } catch (err) {
      await handle.close().catch(() => {});
      throw err;
    }
    return {
      handle,
      via: "pglite",
      close: async () => {
        try {
          await handle.close();
        } finally {
          releaseLock();
        }
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}

/** The server's socket if one is recorded, its process alive and the port answering; null if the file is stale. */
async function openServerSocket(options: OpenCliDatabaseOptions): Promise<CliDatabase | null> {
  const address = readDbSocketFile(options.dataDir);
  if (!address) return null;
  if (!isProcessAlive(address.pid)) {
    options.progress(
      `Ignoring stale ${dbSocketFile(options.dataDir)} (process ${address.pid} is gone).`,
    );
    return null;
  }
  if (!(await probeTcp(address, 2000))) {
    // Nothing listens there: not a server of ours any more (the pid was reused).
    options.progress(
      `Ignoring stale ${dbSocketFile(options.dataDir)} (nothing listens on ${address.host}:${address.port}).`,
    );
    return null;
  }
  const url = dbSocketUrl(address);
  options.progress(
    `Using the running server's database (pid ${address.pid}, ${address.host}:${address.port})…`,
  );
  const handle = await openDatabase({ kind: "postgres", url, migrate: false, max: 1 });
  try {
    await handle.ping();
    if (options.migrate) {
      options.progress("Applying migrations…");
      Object.assign(handle, await runMigrations(handle, url));
    }
  } catch (err) {
    await handle.close().catch(() => {});
    throw new Error(describeSocketFailure(address, err));
  }
  return { handle, via: "socket", close: () => handle.close() };
}

function describeSocketFailure(address: DbSocketAddress, err: unknown): string {
  const reason = err instanceof Error ? err.message : String(err);
  return `The Switchyard server (pid ${address.pid}) holds the embedded database, but its socket at ${address.host}:${address.port} failed: ${reason}`;
}
