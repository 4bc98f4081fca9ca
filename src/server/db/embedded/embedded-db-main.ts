/**
 * The embedded database process. PGlite is Postgres compiled to WebAssembly and runs on the
 * thread that opened it: inside the server it would run every query (request-log batches
 * included) on the event loop that serves the gateway, and its heap would count against the
 * server's memory. So `npm start`/`npm run dev` run it here, in a child process that opens the
 * data dir, applies migrations and serves the database over the Postgres wire protocol on
 * 127.0.0.1 (the socket server also used by the CLI and drizzle studio). The server talks to it
 * with postgres.js, exactly as it would to a real Postgres.
 *
 * Lifecycle: started with an IPC channel; reports `ready` (or `failed`) over it; exits when the
 * parent disconnects (parent exited or crashed) or on SIGTERM/SIGINT, closing PGlite cleanly.
 */
import { openDatabase, type DatabaseHandle } from "../client";
import { acquireDirectOpenLock, startDbSocketServer, type DbSocketServer } from "../socket-server";
import { pgliteDir } from "../paths";
import { EMBEDDED_DB_DATA_DIR_ENV, type EmbeddedDbMessage } from "./protocol";

/** Connections: the server's pool, the CLI, drizzle studio. */
const MAX_CONNECTIONS = 24;

function send(message: EmbeddedDbMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const dataDir = process.env[EMBEDDED_DB_DATA_DIR_ENV];
  if (!dataDir) throw new Error(`${EMBEDDED_DB_DATA_DIR_ENV} is not set`);

  let handle: DatabaseHandle | null = null;
  let socket: DbSocketServer | null = null;
  let release: (() => void) | null = null;
  let closing: Promise<void> | null = null;

  const close = (code: number) =>
    (closing ??= (async () => {
      try {
        await socket?.stop();
        await handle?.close();
      } finally {
        release?.();
        process.exit(code);
      }
    })());

  // The parent went away (normal stop, crash or kill -9): nobody needs this database any more.
  process.on("disconnect", () => void close(0));
  process.on("SIGTERM", () => void close(0));
  process.on("SIGINT", () => {
    // The terminal's Ctrl-C reaches the whole process group: the parent decides when to stop.
  });

  try {
    release = await acquireDirectOpenLock(dataDir);
    handle = await openDatabase({ kind: "pglite", dataDir: pgliteDir(dataDir) });
    socket = await startDbSocketServer(handle, dataDir, { maxConnections: MAX_CONNECTIONS });
    send({
      type: "ready",
      host: socket.host,
      port: socket.port,
      location: handle.location,
      vectorAvailable: handle.vectorAvailable,
      ...(handle.vectorUnavailableReason
        ? { vectorUnavailableReason: handle.vectorUnavailableReason }
        : {}),
    });
  } catch (err) {
    send({ type: "failed", message: err instanceof Error ? err.message : String(err) });
    await close(1);
  }
}

void main();
