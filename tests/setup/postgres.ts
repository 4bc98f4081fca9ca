import { execFile } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";

/*
 * A throwaway PostgreSQL (Debian's packages, no pgvector) for tests of the postgres.js path.
 * Started lazily: the global setup only reserves a run directory; the first test file that calls
 * `usePostgres()` starts the cluster (≈1.3 s: initdb + start) under a lock directory so parallel
 * workers share one cluster; the global teardown stops it. Each caller gets fresh databases.
 */

const run = promisify(execFile);
const PREFERRED_MAJOR = "15";

export interface TestPostgres {
  /** URL of the cluster's `postgres` database (superuser, trust auth). */
  adminUrl: string;
  port: number;
  /** Creates an empty database and returns its URL. */
  createDatabase(prefix?: string): Promise<string>;
}

interface ClusterInfo {
  port: number;
  binDir: string;
}

function findBinDir(): string {
  const root = "/usr/lib/postgresql";
  const preferred = path.join(root, PREFERRED_MAJOR, "bin");
  if (existsSync(path.join(preferred, "initdb"))) return preferred;
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors[0]) return path.join(root, majors[0], "bin");
  throw new Error(
    "PostgreSQL is not installed, and the tests of the postgres.js path need a real server. " +
      "Install it with: apt-get install -y postgresql",
  );
}

/** initdb/postgres refuse to run as root: run them as the `postgres` user then. */
function asClusterUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ["runuser", ["-u", "postgres", "--", command, ...args]]
    : [command, args];
}

async function exec(command: string, args: string[], timeout = 60_000) {
  const [cmd, argv] = asClusterUser(command, args);
  try {
    return await run(cmd, argv, { timeout });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

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

function clusterPaths(runDir: string) {
  const base = path.join(runDir, "pg");
  return {
    base,
    data: path.join(base, "data"),
    socketDir: base,
    log: path.join(base, "server.log"),
    info: path.join(runDir, "cluster.json"),
    error: path.join(runDir, "cluster-error.txt"),
    lock: path.join(runDir, "starting.lock"),
  };
}

async function startCluster(runDir: string): Promise<ClusterInfo> {
  const binDir = findBinDir();
  const p = clusterPaths(runDir);
  // The run dir is root's mkdtemp (0700): the postgres user must be able to reach its subdir.
  chmodSync(runDir, 0o755);
  mkdirSync(p.base, { recursive: true });
  if (process.getuid?.() === 0) {
    const { stdout } = await run("id", ["-u", "postgres"]).catch(() => {
      throw new Error(
        "There is no `postgres` system user; install PostgreSQL with: apt-get install -y postgresql",
      );
    });
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(p.base, Number(stdout.trim()), Number(gid.trim()));
  }
  await exec(path.join(binDir, "initdb"), [
    "-D",
    p.data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C.UTF-8",
    "--no-sync",
  ]);
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      await exec(path.join(binDir, "pg_ctl"), [
        "-D",
        p.data,
        "-l",
        p.log,
        "-w",
        "-t",
        "60",
        "start",
        "-o",
        `-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c listen_addresses=127.0.0.1 -p ${port} -k ${p.socketDir} -c max_connections=200`,
      ]);
      return { port, binDir };
    } catch (err) {
      lastError = err; // most likely the port was taken in between: try another
    }
  }
  const log = existsSync(p.log) ? readFileSync(p.log, "utf8").slice(-2000) : "";
  throw new Error(`Could not start the test PostgreSQL: ${String(lastError)}\n${log}`);
}

/** Stops the run's cluster if a test started one (global teardown). */
export async function stopTestPostgres(runDir: string): Promise<void> {
  const p = clusterPaths(runDir);
  if (existsSync(path.join(p.data, "postmaster.pid"))) {
    const binDir = existsSync(p.info)
      ? (JSON.parse(readFileSync(p.info, "utf8")) as ClusterInfo).binDir
      : findBinDir();
    await exec(path.join(binDir, "pg_ctl"), ["-D", p.data, "-m", "immediate", "-w", "stop"]).catch(
      () => {},
    );
  }
  rmSync(runDir, { recursive: true, force: true });
}

async function waitForCluster(runDir: string, timeoutMs = 90_000): Promise<ClusterInfo> {
  const p = clusterPaths(runDir);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (existsSync(p.info)) return JSON.parse(readFileSync(p.info, "utf8")) as ClusterInfo;
    if (existsSync(p.error)) throw new Error(readFileSync(p.error, "utf8"));
    let mine = false;
    try {
      mkdirSync(p.lock); // atomic: exactly one worker starts the cluster
      mine = true;
    } catch {
      // another worker is starting it
    }
    if (mine) {
      try {
        const info = await startCluster(runDir);
        writeFileSync(p.info, JSON.stringify(info));
        return info;
      } catch (err) {
        writeFileSync(p.error, err instanceof Error ? err.message : String(err));
        throw err;
      }
    }
    if (Date.now() > deadline)
      throw new Error("Timed out waiting for the test PostgreSQL to start");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The run's PostgreSQL, started on first use. `runDir` comes from the global setup
 * (`inject("postgresRunDir")`).
 */
export async function usePostgres(runDir: string): Promise<TestPostgres> {
  if (!runDir)
    throw new Error("postgresRunDir is not provided: is tests/setup/global-setup.ts registered?");
  const { port } = await waitForCluster(runDir);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    port,
    async createDatabase(prefix = "t") {
      const name = `${prefix}_${randomBytes(6).toString("hex")}`.toLowerCase();
      const { default: postgres } = await import("postgres");
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end({ timeout: 5 });
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
  };
}
