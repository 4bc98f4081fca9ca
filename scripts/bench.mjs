#!/usr/bin/env node
// `npm run bench`: Switchyard (production build, auth + request logging + cost on) side by side
// with the upstream direct, a bare Node proxy and Portkey's gateway, using ../shared/bench.
//   --db postgres   (default) Switchyard on a throwaway PostgreSQL, as in production
//   --db embedded   on the embedded database (its own process, counted in CPU and RSS)
//   --controls miss  the bench key has rate limits and a hard budget (never reached), and every
//                    request asks the response cache to look up and store (`x-switchyard-cache:
//                    refresh`): the full cost of limits + budgets + cache on a miss
//   --controls hit   the same key; requests are answered from the response cache after the first
// Other arguments go to compare.mjs (e.g. `npm run bench -- --quick --conns 10,50`).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { benchDir, ensureBuild, log, prepareTarget, root, takeOption } from "./bench-target.mjs";

if (!existsSync(path.join(benchDir, "compare.mjs"))) {
  console.error(`bench: ${benchDir}/compare.mjs not found (set SWITCHYARD_BENCH_DIR).`);
  process.exit(2);
}
const argv = process.argv.slice(2);
const db = takeOption(argv, "--db", "postgres");
const controls = takeOption(argv, "--controls", "none");
if (!["none", "miss", "hit"].includes(controls)) {
  console.error(`bench: --controls must be miss or hit, not ${controls}`);
  process.exit(2);
}
const keyArgs =
  controls === "none"
    ? []
    : ["--rpm", "1000000000", "--tpm", "1000000000", "--budget-usd", "1000000000", "--budget-period", "monthly"];
const cacheHeader =
  controls === "none" ? [] : ["--target-header", `x-switchyard-cache: ${controls === "hit" ? "on" : "refresh"}`];
const port = process.env.SWITCHYARD_BENCH_PORT ?? "3999";

ensureBuild();
const target = await prepareTarget({ db, port, keyArgs });
try {
  log("installing Portkey's gateway for comparison (cached)…");
  execFileSync("bash", [path.join(benchDir, "peer-portkey.sh"), "install"], { stdio: "inherit" });
  log(`switchyard on the ${db} database`);
  const args = [
    path.join(benchDir, "compare.mjs"),
    "--with-portkey",
    "--target-name",
    controls === "none" ? `switchyard (${db})` : `switchyard (${db}, limits+budget+cache ${controls})`,
    "--target-url",
    `http://127.0.0.1:${port}/v1`,
    "--target-header",
    `Authorization: Bearer ${target.key}`,
    ...cacheHeader,
    "--target-cmd",
    target.cmd,
    "--target-ready-url",
    `http://127.0.0.1:${port}/readyz`,
    ...argv,
  ];
  const run = spawnSync("node", args, { cwd: root, stdio: "inherit" });
  process.exitCode = run.status ?? 1;
} finally {
  target.cleanup();
}
