#!/usr/bin/env node
// `npm run bench`: Switchyard (production build, auth + request logging + cost on) side by side
// with the upstream direct, a bare Node proxy and Portkey's gateway, using ../shared/bench.
// Extra arguments go to compare.mjs (e.g. `npm run bench -- --quick --conns 10,50`).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bench = path.resolve(root, process.env.SWITCHYARD_BENCH_DIR ?? "../shared/bench");
if (!existsSync(path.join(bench, "compare.mjs"))) {
  console.error(`bench: ${bench}/compare.mjs not found (set SWITCHYARD_BENCH_DIR).`);
  process.exit(2);
}
const log = (msg) => console.error(`bench: ${msg}`);

if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  log("no production build yet; running next build…");
  execFileSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
}

const dataDir = mkdtempSync(path.join(tmpdir(), "switchyard-bench-"));
const port = process.env.SWITCHYARD_BENCH_PORT ?? "3999";
const env = {
  ...process.env,
  SWITCHYARD_DATA_DIR: dataDir,
  AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
  SWITCHYARD_ENCRYPTION_KEY: "YmVuY2gtZW5jcnlwdGlvbi1rZXktMDEyMzQ1Njc4OWFiY2Q",
  LOG_LEVEL: "warn",
};
try {
  log("creating an API key…");
  const created = spawnSync(
    "npx",
    ["tsx", "src/cli/index.ts", "keys", "create", "--org", "bench", "--name", "bench", "--create-org"],
    { cwd: root, env, encoding: "utf8" },
  );
  if (created.status !== 0) throw new Error(`keys create failed: ${created.stderr}`);
  const key = created.stdout.trim().split("\n").at(-1);

  log("installing Portkey's gateway for comparison (cached)…");
  execFileSync("bash", [path.join(bench, "peer-portkey.sh"), "install"], { stdio: "inherit" });

  const targetEnv = [
    "NODE_ENV=production",
    `PORT=${port}`,
    "HOST=127.0.0.1",
    `SWITCHYARD_DATA_DIR=${dataDir}`,
    `AUTH_SECRET=${env.AUTH_SECRET}`,
    `SWITCHYARD_ENCRYPTION_KEY=${env.SWITCHYARD_ENCRYPTION_KEY}`,
    "LOG_LEVEL=warn",
    "OPENAI_API_KEY=sk-mock",
  ].join(" ");
  const args = [
    path.join(bench, "compare.mjs"),
    "--with-portkey",
    "--target-name",
    "switchyard",
    "--target-url",
    `http://127.0.0.1:${port}/v1`,
    "--target-header",
    `Authorization: Bearer ${key}`,
    "--target-cmd",
    `cd ${JSON.stringify(root)} && ${targetEnv} OPENAI_BASE_URL="$MOCK_UPSTREAM_URL" exec node --import tsx src/server/main.ts`,
    "--target-ready-url",
    `http://127.0.0.1:${port}/readyz`,
    ...process.argv.slice(2),
  ];
  const run = spawnSync("node", args, { cwd: root, stdio: "inherit" });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
