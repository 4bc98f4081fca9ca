import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/*
 * A throwaway redis-server for tests: its own process on a free TCP port (or a unix socket),
 * no persistence, killed by `stop()`. Each test file starts its own, so tests never share state.
 */

export interface TestRedis {
  /** `redis://127.0.0.1:<port>`, or the socket's path (what ioredis takes for a unix socket). */
  url: string;
  port: number | null;
  socketPath: string | null;
  /** Kills the server (SIGKILL if it does not exit within 2 s) and removes its directory. */
  stop(): Promise<void>;
}

const REDIS_SERVER = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((p) =>
  existsSync(p),
);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Sends a raw PING and resolves true on `+PONG`. */
function ping(target: { port: number } | { path: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket =
      "port" in target ? net.connect(target.port, "127.0.0.1") : net.connect(target.path);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}

export async function startRedisServer(options: { unixSocket?: boolean } = {}): Promise<TestRedis> {
  if (!REDIS_SERVER) {
    throw new Error(
      "redis-server is not installed, and the Redis tests need a real server. " +
        "Install it with: apt-get install -y redis-server",
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "sy-redis-"));
  const socketPath = options.unixSocket ? path.join(dir, "redis.sock") : null;
  const port = socketPath ? 0 : await freePort();
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--daemonize",
    "no",
    "--loglevel",
    "warning",
    ...(socketPath ? ["--unixsocket", socketPath, "--unixsocketperm", "700"] : []),
  ];
  const child: ChildProcess = spawn(REDIS_SERVER, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const target = socketPath ? { path: socketPath } : { port };
  const deadline = Date.now() + 10_000;
  while (!(await ping(target))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start: ${stderr || `exit code ${child.exitCode}`}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }

  let stopped: Promise<void> | null = null;
  return {
    url: socketPath ?? `redis://127.0.0.1:${port}`,
    port: socketPath ? null : port,
    socketPath,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
