// Shared by `npm run bench` and `npm run soak`: a production Switchyard (bundled server, auth,
// request logging and cost on) with a fresh data dir, an org and an API key, on the embedded
// database or on a throwaway PostgreSQL.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startBenchPostgres } from "./bench-postgres.mjs";

export const root = path.resolve(import.meta.dirname, "..");
export const benchDir = path.resolve(root, process.env.SWITCHYARD_BENCH_DIR ?? "../shared/bench");
export const log = (msg) => console.error(`bench: ${msg}`);

/** Removes `--name value` from argv and returns the value (or the default). */
export function takeOption(argv, name, fallback) {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const [, value] = argv.splice(i, 2);
  return value;
}

/**
 * The V8 flags `npm start` runs the server with (package.json), so the benchmark measures the
 * production process as shipped: a smaller young generation and slower old-generation growth keep
 * the heap near its live size under load (fewer MB of garbage held) for a little more GC work.
 */
export function serverNodeFlags() {
  const start = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts.start;
  const match = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/server\.mjs/.exec(start);
  if (!match) throw new Error(`package.json's start script does not run dist/server.mjs: ${start}`);
  return match[1].trim();
}

export function ensureBuild() {
  if (!existsSync(path.join(root, ".next", "BUILD_ID")) || !existsSync(path.join(root, "dist", "server.mjs"))) {
    log("no production build yet; running npm run build…");
    execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  }
}

/**
 * @param {{ db: "postgres" | "embedded", port: string, env?: Record<string, string>, keyArgs?: string[] }} options
 *   `keyArgs`: extra `keys create` flags (limits and budgets of the bench key).
 * @returns the API key, the shell command that starts the server (expects MOCK_UPSTREAM_URL),
 *   and cleanup.
 */
export async function prepareTarget({ db, port, env: extraEnv = {}, keyArgs = [] }) {
  if (db !== "postgres" && db !== "embedded") throw new Error(`--db must be postgres or embedded, not ${db}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), "switchyard-bench-"));
  let pg = null;
  const cleanup = () => {
    pg?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    if (db === "postgres") {
      log("starting a throwaway PostgreSQL…");
      pg = await startBenchPostgres();
    }
    const env = {
      SWITCHYARD_DATA_DIR: dataDir,
      AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
      SWITCHYARD_ENCRYPTION_KEY: "YmVuY2gtZW5jcnlwdGlvbi1rZXktMDEyMzQ1Njc4OWFiY2Q",
      LOG_LEVEL: "warn",
      ...(pg ? { DATABASE_URL: pg.url } : {}),
      ...extraEnv,
    };
    log("creating an API key…");
    const created = spawnSync(
      process.execPath,
      ["--import", "tsx", "src/cli/index.ts", "keys", "create", "--org", "bench", "--name", "bench", "--create-org", ...keyArgs],
      { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" },
    );
    if (created.status !== 0) throw new Error(`keys create failed: ${created.stderr}`);
    const key = created.stdout.trim().split("\n").at(-1);
    const assignments = Object.entries({
      ...env,
      NODE_ENV: "production",
      PORT: port,
      HOST: "127.0.0.1",
      OPENAI_API_KEY: "sk-mock",
    }).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    const cmd = `cd ${JSON.stringify(root)} && ${assignments.join(" ")} OPENAI_BASE_URL="$MOCK_UPSTREAM_URL" exec node ${process.env.SWITCHYARD_BENCH_NODE_FLAGS ?? serverNodeFlags()} dist/server.mjs`;
    return { key, cmd, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

async function waitReady(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

/**
 * Starts the bench mock upstream (5 ms between stream chunks) on `mockPort` and the prepared
 * target on `port`, each in its own process group, and waits until the target is ready.
 * `stop()` (also run on exit) ends both groups.
 */
export async function startMockAndTarget({ target, port, mockPort }) {
  const groups = [];
  const stop = () => {
    for (const p of groups) {
      try {
        process.kill(-p.pid, "SIGTERM");
      } catch {}
    }
  };
  process.on("exit", stop);
  const mockUrl = `http://127.0.0.1:${mockPort}/v1`;
  groups.push(
    spawn(process.execPath, [path.join(benchDir, "mock-upstream.mjs"), "--port", mockPort], {
      env: { ...process.env, MOCK_QUIET: "1", MOCK_CHUNK_DELAY_MS: "5" },
      stdio: "ignore",
      detached: true,
    }),
  );
  const server = spawn(target.cmd, [], {
    shell: true,
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, MOCK_UPSTREAM_URL: mockUrl },
  });
  groups.push(server);
  await waitReady(`http://127.0.0.1:${port}/readyz`, 180_000);
  return { server, stop };
}
