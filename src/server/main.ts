/**
 * The one-process server behind `npm run dev` and `npm start`: one node:http listener on PORT.
 * `/v1/*`, `/healthz` and `/readyz` go straight to the gateway core (no Next.js overhead on the
 * hot path); every other path goes to Next.js (console, tRPC, Auth.js, Inngest).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { env, EnvError, type Env } from "~/env";
import { logger, setLogLevel } from "~/lib/logger";
import { ConfigError } from "~/server/config/config-error";
import { instanceConfig } from "~/server/config/instance-config";
import { getDatabase, setDatabase, type DatabaseHandle } from "~/server/db";
import { createGatewayWith, shutdownGateway } from "~/server/gateway";
import { createNodeListener } from "~/server/gateway/node-listener";
import { createGatewayPathMatcher } from "~/server/gateway/paths";

const SHUTDOWN_DEADLINE_MS = 10_000;
const NEXT_CLOSE_TIMEOUT_MS = 5_000;
const JOBS_STOP_DEADLINE_MS = 5_000;

type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
interface Stoppable {
  stop(): Promise<void>;
}

function loadEnv(): Env {
  try {
    const config = env();
    if (config.SWITCHYARD_API_VIA_NEXT && !config.SWITCHYARD_SERVE_CONSOLE) {
      throw new EnvError(
        "Invalid environment configuration:\n  - SWITCHYARD_API_VIA_NEXT: needs Next.js, but SWITCHYARD_SERVE_CONSOLE is off",
      );
    }
    // The config file (SWITCHYARD_CONFIG) is part of the configuration: a bad one stops start-up
    // here, before the database is opened, with every problem listed.
    setLogLevel(config.LOG_LEVEL);
    instanceConfig();
    return config;
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    if (err instanceof ConfigError) {
      console.error(`Switchyard failed to start: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/** Serves the embedded database to local tools (CLI, drizzle studio) while this process owns it. */
async function startDbSocket(handle: DatabaseHandle, dataDir: string): Promise<Stoppable> {
  const { startDbSocketServer } = await import("./db/socket-server");
  return startDbSocketServer(handle, dataDir);
}

/** Background jobs run here (not in the CLI or serverless route handlers) unless Inngest runs them. */
async function startJobDriver(handle: DatabaseHandle, config: Env): Promise<Stoppable | null> {
  const { jobDriverKind, setRunningLocalDriver } = await import("~/jobs/job-driver");
  if (jobDriverKind(config) !== "local") {
    logger.info("jobs: Inngest (served at /api/inngest)");
    return null;
  }
  const { createLocalDriver } = await import("~/jobs/local/local-driver");
  const { JOBS } = await import("~/jobs/registry");
  const driver = createLocalDriver({
    db: handle.db,
    jobs: () => JOBS,
    maxParallel: config.SWITCHYARD_JOBS_CONCURRENCY,
  });
  driver.start();
  setRunningLocalDriver(driver);
  logger.info(
    `jobs: local driver (${JOBS.length} jobs, ${config.SWITCHYARD_JOBS_CONCURRENCY} at once)`,
  );
  return {
    stop: async () => {
      setRunningLocalDriver(null);
      await driver.stop({ deadlineMs: JOBS_STOP_DEADLINE_MS });
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Next.js, prepared after the port is bound (it wants the real port): at start-up (`start`) or by
 * the first console request. Requests for the console that arrive meanwhile wait for it; the
 * gateway answers from the start.
 */
function createConsole(load: () => Promise<NodeHandler>) {
  let handler: NodeHandler | null = null;
  let ready: Promise<NodeHandler> | null = null;
  const run = (req: IncomingMessage, res: ServerResponse, h: NodeHandler) => {
    h(req, res).catch((err: unknown) => {
      logger.error("console request failed", { url: req.url, error: errorMessage(err) });
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end("Internal Server Error");
      } else res.destroy();
    });
  };
  return {
    start(): Promise<void> {
      ready ??= load().then((h) => (handler = h));
      return ready.then(() => undefined);
    },
    handle(req: IncomingMessage, res: ServerResponse): void {
      if (handler) return run(req, res, handler);
      // Not started yet (production starts it on first use): this request starts it and waits.
      ready ??= load().then((h) => (handler = h));
      ready.then(
        (h) => run(req, res, h),
        () => {
          res.statusCode = 503;
          res.end("The console failed to start; see the server log.");
        },
      );
    },
  };
}

/** What shutdown has to stop; filled in as start-up progresses. */
interface Running {
  server: Server | null;
  handle: DatabaseHandle | null;
  dbSocket: Stoppable | null;
  nextApp: { close(): Promise<void> } | null;
  /** The local job driver (not when Inngest runs the jobs). */
  jobs: Stoppable | null;
  upgraded: Set<Duplex>;
  draining: boolean;
}

async function start(running: Running): Promise<void> {
  const dev = process.argv.includes("--dev");
  const config = loadEnv();
  setLogLevel(config.LOG_LEVEL);
  const serveConsole = config.SWITCHYARD_SERVE_CONSOLE;

  // In development the console starts with the server (its compiler and HMR want to be ready);
  // in production it starts on the first console request, so an instance that only serves the
  // API never loads Next.js (tens of MB of memory, and a faster start).
  const eagerConsole = serveConsole && dev;
  // Loading Next.js takes a while: overlap it with opening the database.
  const nextModule = eagerConsole ? import("next") : null;
  nextModule?.catch(() => {});

  if (!config.DATABASE_URL && config.SWITCHYARD_EMBEDDED_DB === "process") {
    const { startEmbeddedDatabase } = await import("./db/embedded/start-embedded-db");
    const embedded = await startEmbeddedDatabase({
      dataDir: config.dataDir,
      onUnexpectedExit: (code, signal) => {
        logger.error(
          `the embedded database process ended unexpectedly (${signal ?? `code ${code}`}); stopping`,
        );
        process.exit(1);
      },
    });
    running.dbSocket = embedded;
    setDatabase(embedded.handle);
    logger.info(`database: embedded (${embedded.handle.location})`);
  }
  const handle = (running.handle = await getDatabase());
  if (handle.kind === "pglite") running.dbSocket = await startDbSocket(handle, config.dataDir);
  const gatewayListener = await createNodeListener(createGatewayWith);
  running.jobs = await startJobDriver(handle, config);
  const toGateway = createGatewayPathMatcher({
    apiViaNext: config.SWITCHYARD_API_VIA_NEXT,
    serveConsole,
  });

  const consoleApp = createConsole(async () => {
    const { default: next } = await (nextModule ?? import("next"));
    const app = next({
      dev,
      dir: process.cwd(),
      hostname: config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST,
      port: (running.server!.address() as AddressInfo).port,
      httpServer: running.server!,
    });
    running.nextApp = app;
    await app.prepare();
    return app.getRequestHandler();
  });

  const server = createServer((req, res) => {
    if (running.draining) res.setHeader("connection", "close");
    if (toGateway(req.url ?? "/")) void gatewayListener(req, res);
    else consoleApp.handle(req, res);
  });
  running.server = server;

  // Upgraded sockets (Next's dev HMR) are not requests: shutdown closes them instead of waiting.
  server.on("upgrade", (_req: IncomingMessage, socket: Duplex) => {
    running.upgraded.add(socket);
    socket.once("close", () => running.upgraded.delete(socket));
  });

  const port = await listen(server, config.PORT, config.HOST);
  if (eagerConsole) await consoleApp.start();

  console.log(
    `Switchyard listening on http://localhost:${port} (api: /v1, console: ${serveConsole ? (eagerConsole ? "/" : "/, loaded on first use") : "off"}) — ready in ${Math.round(performance.now())} ms${dev ? " (dev)" : ""}`,
  );
  // Machine-readable: tests and scripts read the bound port from this line (PORT=0 picks a free one).
  console.log(`SWITCHYARD_READY port=${port}`);
}

/** Stop accepting, let in-flight requests finish (up to the deadline), flush, close. */
async function stop(running: Running, startup: Promise<void>): Promise<boolean> {
  // A signal during start-up: let it get to a known state first (migrations, socket file).
  await withTimeout(
    startup.catch(() => {}),
    SHUTDOWN_DEADLINE_MS,
  );
  running.draining = true;
  const { server } = running;
  if (server?.listening) {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of running.upgraded) socket.destroy();
    // Keep-alive connections become idle as their request finishes: close them as they do.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const drained = await withTimeout(closed, SHUTDOWN_DEADLINE_MS);
    clearInterval(sweep);
    if (drained === "timeout") {
      logger.warn(
        "in-flight requests did not finish before the deadline; closing their connections",
      );
      server.closeAllConnections();
    }
  }

  let ok = true;
  const steps: [string, () => Promise<unknown>][] = [
    [
      "console",
      async () => running.nextApp && withTimeout(running.nextApp.close(), NEXT_CLOSE_TIMEOUT_MS),
    ],
    // Running jobs get a few seconds; the rest are handed back to the queue (their completed
    // steps stay done) for the next start or another instance.
    ["jobs", async () => running.jobs?.stop()],
    // After the drain: writes the request logs of everything that finished (streams included)
    // and pending key last-used times, closes upstream pools. Before the database closes.
    ["gateway (request logs, key usage)", () => shutdownGateway()],
    // Inline embedded database: its socket server first, then PGlite.
    ["database socket", async () => running.dbSocket?.stop()],
    // (The embedded database process's stop above closed this handle already: close is idempotent.)
    ["database", async () => running.handle?.close()],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (err) {
      ok = false;
      logger.error(`shutdown: ${name} failed`, { error: errorMessage(err) });
    }
  }
  return ok;
}

function main(): void {
  const running: Running = {
    server: null,
    handle: null,
    dbSocket: null,
    nextApp: null,
    jobs: null,
    upgraded: new Set(),
    draining: false,
  };
  const startup = start(running);

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} received again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.info(
      `${signal} received: finishing in-flight requests (up to ${SHUTDOWN_DEADLINE_MS / 1000} s)`,
    );
    void stop(running, startup).then((ok) => {
      logger.info("stopped");
      process.exit(ok ? 0 : 1);
    });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  startup.catch(async (err: unknown) => {
    console.error(`Switchyard failed to start: ${errorMessage(err)}`);
    if (err instanceof Error && err.stack) logger.debug(err.stack);
    if (!stopping) {
      stopping = true;
      // Release what did open (socket file, PGlite's data dir) before exiting.
      await withTimeout(stop(running, Promise.resolve()), SHUTDOWN_DEADLINE_MS);
    }
    process.exit(1);
  });
}

process.on("unhandledRejection", (reason) => {
  logger.error("unhandled promise rejection", {
    error: errorMessage(reason),
    stack: reason instanceof Error ? reason.stack : undefined,
  });
});

main();
