import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import net from "node:net";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { PGLiteSocketHandler, PGLiteSocketHandlerOptions } from "@electric-sql/pglite-socket";
import type { DatabaseHandle } from "./client";

/*
 * The embedded database (PGlite) can be opened by one process only. While the server runs it
 * serves that database to local tools (CLI, drizzle studio) over the Postgres wire protocol on
 * 127.0.0.1, and records the address in `<dataDir>/db-socket.json`.
 *
 * Why this file does not use `PGLiteSocketServer` as is: its query queue runs every protocol
 * message on its own and only orders socket clients among themselves. The owning process keeps
 * querying PGlite directly, and those queries slip in between a client's messages — measured:
 * a socket client's `BEGIN … ROLLBACK` got committed by the server's own `pglite.transaction()`,
 * and an extended-protocol batch (Parse/Bind/Execute/Sync) can have its unnamed portal replaced.
 * So the connections here use pglite-socket's `PGLiteSocketHandler` (wire framing, SSL and cancel
 * requests) with `BackendSessionQueue` below, which gives one client the backend from its first
 * message until the backend is idle again (ReadyForQuery `I`), holding PGlite's own transaction
 * lock meanwhile — the lock `query()`, `exec()` and `transaction()` of the owning process take.
 * Consequences, documented for operators:
 * - a socket client's transaction is isolated from the server's queries; the server waits while a
 *   client is inside a transaction (like a row lock on a single-connection database would);
 * - a client idle inside a transaction for longer than `idleInTransactionTimeoutMs` is
 *   disconnected (its transaction rolled back), so a forgotten `BEGIN` in psql cannot stall the
 *   gateway for longer than that;
 * - all clients share one backend session: `SET` commands and named prepared statements are
 *   visible to the others (statements a client prepared are closed when it disconnects).
 */

export const DB_SOCKET_FILE = "db-socket.json";

export interface DbSocketAddress {
  host: string;
  port: number;
  pid: number;
}

export function dbSocketFile(dataDir: string): string {
  return path.join(dataDir, DB_SOCKET_FILE);
}

/** `postgres://` URL of a socket address (PGlite accepts any password; the user is `postgres`). */
export function dbSocketUrl(address: { host: string; port: number }): string {
  return `postgres://postgres@${address.host}:${address.port}/postgres`;
}

/** The recorded address, or null when there is no (readable, well-formed) socket file. */
export function readDbSocketFile(dataDir: string): DbSocketAddress | null {
  const file = dbSocketFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as Partial<DbSocketAddress>;
    if (
      typeof value.host === "string" &&
      Number.isInteger(value.port) &&
      Number.isInteger(value.pid) &&
      (value.pid as number) > 0
    ) {
      return { host: value.host, port: value.port as number, pid: value.pid as number };
    }
  } catch {
    // Unreadable or half-written: treated like no file.
  }
  return null;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The recorded address if its process is still alive (a stale file is ignored). */
export function readLiveDbSocket(dataDir: string): DbSocketAddress | null {
  const address = readDbSocketFile(dataDir);
  return address && isProcessAlive(address.pid) ? address : null;
}

/** Resolves true if something accepts TCP connections at the address within `timeoutMs`. */
export function probeTcp(
  address: { host: string; port: number },
  timeoutMs = 1000,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.host, port: address.port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

const DIRECT_OPEN_LOCK_FILE = "pglite.lock";
const DIRECT_OPEN_LOCK_WAIT_MS = 60_000;

/** Pid of a live process that has the embedded database open directly (CLI without a server), or null. */
export function readDirectOpenLock(dataDir: string): number | null {
  const file = path.join(dataDir, DIRECT_OPEN_LOCK_FILE);
  const owner = Number(existsSync(file) ? readFileSync(file, "utf8").trim() : NaN);
  return Number.isInteger(owner) && owner > 0 && isProcessAlive(owner) ? owner : null;
}

/**
 * Two processes must not open the same PGlite data dir at once (it would corrupt it). Tools that
 * open it directly (the CLI, when no server is up) take this exclusive lock file holding their pid;
 * a lock whose process is gone is taken over. Resolves with the release function.
 */
export async function acquireDirectOpenLock(
  dataDir: string,
  progress: (message: string) => void = () => {},
): Promise<() => void> {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DIRECT_OPEN_LOCK_FILE);
  const deadline = Date.now() + DIRECT_OPEN_LOCK_WAIT_MS;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      const release = () => {
        process.off("exit", release);
        try {
          if (readFileSync(file, "utf8").trim() === String(process.pid))
            rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
      process.on("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const owner = readDirectOpenLock(dataDir);
    if (owner === null) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Another process (pid ${owner}) has the embedded database open. Try again when it has finished.`,
      );
    }
    if (!announced) {
      progress(`Waiting for another process (pid ${owner}) that has the embedded database open…`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface DbSocketServerOptions {
  /** Concurrent client connections (CLI, migrations, drizzle studio). Default 8. */
  maxConnections?: number;
  /** A client holding the backend (open transaction or unfinished batch) this long without sending anything is disconnected. Default 15 s. */
  idleInTransactionTimeoutMs?: number;
}

export interface DbSocketServer {
  host: string;
  port: number;
  stop(): Promise<void>;
}

/** Serves the PGlite database of `handle` on 127.0.0.1 (free port) and records the address in the data dir. */
export async function startDbSocketServer(
  handle: DatabaseHandle,
  dataDir: string,
  options: DbSocketServerOptions = {},
): Promise<DbSocketServer> {
  const pglite = handle.pglite;
  if (handle.kind !== "pglite" || !pglite) {
    throw new Error("startDbSocketServer serves the embedded database only (no DATABASE_URL).");
  }
  const existing = readLiveDbSocket(dataDir);
  if (existing && existing.pid !== process.pid && (await probeTcp(existing))) {
    throw new Error(
      `Another Switchyard process (pid ${existing.pid}) already serves this data directory at ${existing.host}:${existing.port}. ` +
        `Stop it first (if no Switchyard process is running, delete ${dbSocketFile(dataDir)}).`,
    );
  }

  const { PGLiteSocketHandler } = await import("@electric-sql/pglite-socket");
  await pglite.waitReady;
  const maxConnections = options.maxConnections ?? 8;
  const connections = new Map<number, { handler: PGLiteSocketHandler; socket: net.Socket }>();
  const queue = new BackendSessionQueue(pglite, {
    idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs ?? 15_000,
    onIdleInTransaction: (handlerId) => {
      // Closing the socket makes the handler detach, which rolls back and frees the backend.
      connections.get(handlerId)?.socket.destroy();
    },
  });
  let accepting = true;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    if (!accepting || connections.size >= maxConnections) {
      socket.end(
        errorResponse(
          "53300",
          accepting
            ? `too many connections to the embedded database (at most ${maxConnections})`
            : "the embedded database is shutting down",
        ),
      );
      // Do not wait for the client to close its side.
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    const handler = new PGLiteSocketHandler({
      queryQueue: queue as unknown as PGLiteSocketHandlerOptions["queryQueue"],
      closeOnDetach: true,
    });
    connections.set(handler.handlerId, { handler, socket });
    const forget = () => connections.delete(handler.handlerId);
    handler.addEventListener("close", forget);
    handler.addEventListener("error", forget);
    handler.attach(socket).catch(() => {
      forget();
      socket.destroy();
    });
  });
  server.on("error", () => {});

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as net.AddressInfo;
  const host = "127.0.0.1";
  const file = dbSocketFile(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ host, port, pid: process.pid }) + "\n", { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);

  let stopping: Promise<void> | undefined;
  return {
    host,
    port,
    stop: () =>
      (stopping ??= (async () => {
        accepting = false;
        // Remove the address first so tools stop choosing this server while it shuts down.
        const recorded = readDbSocketFile(dataDir);
        if (recorded?.pid === process.pid && recorded.port === port) rmSync(file, { force: true });
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Detaching rolls back open client transactions while PGlite is still open.
        await Promise.all(
          [...connections.values()].map(async ({ handler }) => {
            await handler.detach(true).catch(() => {});
          }),
        );
        connections.clear();
        await queue.drained();
        for (const socket of sockets) socket.destroy();
        await closed;
      })()),
  };
}

/** A Postgres ErrorResponse message (sent to clients refused before startup). */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat([
    Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0`, "utf8"),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write("E", 0, "latin1");
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

function frontendMessage(type: string, body: Buffer): Uint8Array {
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return new Uint8Array(Buffer.concat([header, body]));
}

const cstring = (s: string) => Buffer.from(`${s}\0`, "utf8");
const SYNC = frontendMessage("S", Buffer.alloc(0));
/** A Parse that always fails: an error aborts whatever implicit transaction a batch had opened. */
const FAILING_PARSE = frontendMessage(
  "P",
  Buffer.concat([
    cstring(""),
    cstring("switchyard: abort the disconnected client's batch"),
    Buffer.from([0, 0]),
  ]),
);
const ROLLBACK = frontendMessage("Q", cstring("ROLLBACK"));
const closeStatement = (name: string) =>
  frontendMessage("C", Buffer.concat([Buffer.from("S", "latin1"), cstring(name)]));

const TYPE_PARSE = "P".charCodeAt(0);
const TYPE_CLOSE = "C".charCodeAt(0);
const TYPE_TERMINATE = "X".charCodeAt(0);
const TYPE_READY = "Z".charCodeAt(0);
const STATUS_IDLE = "I".charCodeAt(0);

/** Follows backend message boundaries across output chunks to see what the last message was. */
class BackendFrameTracker {
  private header = Buffer.alloc(5);
  private headerFilled = 0;
  private bodyRemaining = 0;
  private type = 0;
  private lastBodyByte = -1;
  /** Status byte of the ReadyForQuery that ended the output, or null if the output ended otherwise. */
  readyStatus: number | null = null;

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyRemaining === 0 && this.headerFilled < 5) {
        this.header[this.headerFilled++] = chunk[i++]!;
        if (this.headerFilled === 5) {
          this.type = this.header[0]!;
          this.bodyRemaining = this.header.readInt32BE(1) - 4;
          this.readyStatus = null;
          if (this.bodyRemaining <= 0) this.finishMessage();
        }
        continue;
      }
      const take = Math.min(this.bodyRemaining, chunk.length - i);
      this.lastBodyByte = chunk[i + take - 1]!;
      this.bodyRemaining -= take;
      i += take;
      if (this.bodyRemaining === 0) this.finishMessage();
    }
  }

  private finishMessage(): void {
    this.readyStatus = this.type === TYPE_READY ? this.lastBodyByte : null;
    this.headerFilled = 0;
    this.bodyRemaining = 0;
  }

  get complete(): boolean {
    return this.headerFilled === 0 && this.bodyRemaining === 0;
  }
}

interface Job {
  handlerId: number;
  /** Cleanup after a disconnect: never dropped by `clearQueueForHandler`. */
  cleanup?: boolean;
  /** Runs with the backend held; returns bytes written and whether the backend is idle afterwards. */
  run(): Promise<{ bytes: number; idle: boolean }>;
  resolve(bytes: number): void;
  reject(err: Error): void;
}

/**
 * Stands in for pglite-socket's internal query queue (same three methods the handler calls).
 * One client at a time holds the backend, from its first message until ReadyForQuery reports
 * the backend idle; while held, PGlite's transaction lock keeps the owning process out.
 */
export class BackendSessionQueue {
  private jobs: Job[] = [];
  private holder: number | null = null;
  /** False while the last job left an open transaction or an unfinished batch behind. */
  private backendIdle = true;
  private releaseLease: (() => void) | null = null;
  private pumping = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private statements = new Map<number, Set<string>>();
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly db: PGlite,
    private readonly options: {
      idleInTransactionTimeoutMs: number;
      onIdleInTransaction: (handlerId: number) => void;
    },
  ) {}

  enqueue(
    handlerId: number,
    message: Uint8Array,
    onData: (data: Uint8Array) => void,
  ): Promise<number> {
    const type = message[0];
    if (type === TYPE_TERMINATE) return Promise.resolve(0); // cleanup happens on detach
    this.trackStatements(handlerId, message);
    return this.push(handlerId, async () => {
      const tracker = new BackendFrameTracker();
      let bytes = 0;
      await this.db.execProtocolRawStream(message, {
        onRawData: (data) => {
          bytes += data.length;
          tracker.push(data);
          onData(data);
        },
      });
      const idle =
        tracker.complete && tracker.readyStatus === STATUS_IDLE && !this.db.isInTransaction();
      return { bytes, idle };
    });
  }

  getQueueLength(): number {
    return this.jobs.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.jobs = this.jobs.filter((job) => {
      if (job.handlerId !== handlerId || job.cleanup) return true;
      job.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  /** Called when a client goes away: abort its batch or transaction, close its statements, free the backend. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    const statements = this.statements.get(handlerId);
    this.statements.delete(handlerId);
    // Queued like any job of this client: if it holds the backend, this runs next and the backend
    // is still in the state the client left; otherwise it waits its turn and finds it idle.
    await this.push(
      handlerId,
      async () => {
        const discard = { onRawData: () => {} };
        if (!this.backendIdle) {
          await this.db.execProtocolRawStream(FAILING_PARSE, discard);
          await this.db.execProtocolRawStream(SYNC, discard);
          if (this.db.isInTransaction()) await this.db.execProtocolRawStream(ROLLBACK, discard);
        }
        if (statements?.size) {
          for (const name of statements)
            await this.db.execProtocolRawStream(closeStatement(name), discard);
          await this.db.execProtocolRawStream(SYNC, discard);
        }
        return { bytes: 0, idle: !this.db.isInTransaction() };
      },
      true,
    ).catch(() => {});
  }

  /** Resolves once no client holds the backend and nothing is queued. */
  drained(): Promise<void> {
    if (this.jobs.length === 0 && this.holder === null && !this.pumping) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private trackStatements(handlerId: number, message: Uint8Array): void {
    const type = message[0];
    if (type !== TYPE_PARSE && type !== TYPE_CLOSE) return;
    const buf = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    if (type === TYPE_PARSE) {
      const end = buf.indexOf(0, 5);
      const name = end > 5 ? buf.toString("utf8", 5, end) : "";
      if (!name) return;
      let set = this.statements.get(handlerId);
      if (!set) this.statements.set(handlerId, (set = new Set()));
      set.add(name);
    } else if (buf[5] === "S".charCodeAt(0)) {
      const end = buf.indexOf(0, 6);
      if (end > 6) this.statements.get(handlerId)?.delete(buf.toString("utf8", 6, end));
    }
  }

  private push(handlerId: number, run: Job["run"], cleanup = false): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.jobs.push({ handlerId, run, resolve, reject, cleanup });
      void this.pump();
    });
  }

  /** Takes PGlite's transaction lock and keeps it until `releaseLease` is called. */
  private acquireLease(): Promise<() => void> {
    return new Promise((acquired) => {
      void this.db._runExclusiveTransaction(
        () => new Promise<void>((release) => acquired(release)),
      );
    });
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const index =
          this.holder === null
            ? this.jobs.length > 0
              ? 0
              : -1
            : this.jobs.findIndex((job) => job.handlerId === this.holder);
        if (index === -1) break;
        const job = this.jobs.splice(index, 1)[0]!;
        clearTimeout(this.idleTimer);
        this.releaseLease ??= await this.acquireLease();
        this.holder = job.handlerId;
        try {
          const { bytes, idle } = await this.db.runExclusive(() => job.run());
          this.backendIdle = idle;
          if (idle) this.free();
          else this.armIdleTimer(job.handlerId);
          job.resolve(bytes);
        } catch (err) {
          // Backend state unknown: keep it held; the handler detaches on error and cleanup frees it.
          this.backendIdle = false;
          this.armIdleTimer(job.handlerId);
          job.reject(err instanceof Error ? err : new Error(String(err)));
        }
      }
    } finally {
      this.pumping = false;
    }
    if (this.jobs.length === 0 && this.holder === null) {
      for (const resolve of this.drainWaiters.splice(0)) resolve();
    }
  }

  private free(): void {
    clearTimeout(this.idleTimer);
    this.holder = null;
    const release = this.releaseLease;
    this.releaseLease = null;
    release?.();
  }

  private armIdleTimer(handlerId: number): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.holder !== handlerId) return;
      this.options.onIdleInTransaction(handlerId);
      // Also when the client is already gone without having detached: the backend must come back.
      void this.clearTransactionIfNeeded(handlerId);
    }, this.options.idleInTransactionTimeoutMs);
    this.idleTimer.unref();
  }
}
