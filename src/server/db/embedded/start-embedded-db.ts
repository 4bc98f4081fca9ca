import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { openDatabase, type DatabaseHandle } from "../client";
import { dbSocketUrl } from "../socket-server";
import {
  EMBEDDED_DB_DATA_DIR_ENV,
  isEmbeddedDbMessage,
  type EmbeddedDbReady,
} from "./protocol";

/** First start runs initdb and every migration: allow for a slow disk. */
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 15_000;
/**
 * Connections from this process. The embedded database runs one query at a time anyway; a few
 * connections let a console transaction and a request-log batch wait side by side.
 */
const POOL_SIZE = 4;

export interface EmbeddedDatabase {
  /** postgres.js over the embedded database's socket. */
  handle: DatabaseHandle;
  pid: number;
  /** Closes the pool, then stops the process (it closes PGlite cleanly). */
  stop(): Promise<void>;
}

export interface StartEmbeddedDatabaseOptions {
  dataDir: string;
  /** The process ended without `stop()`: the server cannot go on without its database. */
  onUnexpectedExit(code: number | null, signal: NodeJS.Signals | null): void;
}

/**
 * The child's entry: next to this module in a bundled build (`dist/embedded-db.mjs`), the
 * TypeScript source under tsx (dev, tests).
 */
function childEntry(): { file: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    return {
      file: fileURLToPath(new URL("./embedded-db-main.ts", here)),
      execArgv: ["--import", "tsx"],
    };
  }
  return { file: fileURLToPath(new URL("./embedded-db.mjs", here)), execArgv: [] };
}

function waitForReady(child: ChildProcess): Promise<EmbeddedDbReady> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`the embedded database did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    const onMessage = (message: unknown) => {
      if (!isEmbeddedDbMessage(message)) return;
      cleanup();
      if (message.type === "ready") resolve(message);
      else reject(new Error(message.message));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(new Error(`the embedded database process exited during start-up (${signal ?? `code ${code}`})`));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      child.off("error", onError);
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.once("error", onError);
  });
}

/** Starts the embedded database in its own process and connects to it. */
export async function startEmbeddedDatabase(
  options: StartEmbeddedDatabaseOptions,
): Promise<EmbeddedDatabase> {
  const entry = childEntry();
  const child = fork(entry.file, [], {
    execArgv: entry.execArgv,
    env: { ...process.env, [EMBEDDED_DB_DATA_DIR_ENV]: options.dataDir },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "json",
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  let ready: EmbeddedDbReady;
  try {
    ready = await waitForReady(child);
  } catch (err) {
    child.kill("SIGKILL");
    throw err;
  }
  child.once("exit", (code, signal) => {
    if (!stopping) options.onUnexpectedExit(code, signal);
  });

  let handle: DatabaseHandle;
  try {
    handle = await openDatabase({
      kind: "postgres",
      url: dbSocketUrl(ready),
      migrate: false,
      max: POOL_SIZE,
    });
    await handle.ping();
  } catch (err) {
    stopping = true;
    child.kill("SIGTERM");
    throw err;
  }
  handle.location = `${ready.location} (embedded, process ${child.pid})`;
  handle.embeddedProcess = true;
  handle.vectorAvailable = ready.vectorAvailable;
  handle.vectorUnavailableReason = ready.vectorUnavailableReason;

  let stopped: Promise<void> | null = null;
  return {
    handle,
    pid: child.pid!,
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        try {
          await handle.close();
        } finally {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
            await exited;
            clearTimeout(timer);
          }
        }
      })()),
  };
}
