#!/usr/bin/env node
// `npm run bench:route`: what a route (virtual model) costs over calling its provider's model
// directly. One production Switchyard with a config-file route `bench-route` whose single target
// is `openai/gpt-4o-mini` (the bench mock upstream); load alternates between `model: gpt-4o-mini`
// and `model: bench-route` in short rounds (A/B/A/B…) so both see the same machine.
//   npm run bench:route -- [--conns 10] [--rounds 4] [--seconds 3] [--scenario chat|chat-stream] [--db postgres|embedded]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { benchDir, ensureBuild, log, prepareTarget, startMockAndTarget, takeOption } from "./bench-target.mjs";

const argv = process.argv.slice(2);
const conns = takeOption(argv, "--conns", "10");
const rounds = Number(takeOption(argv, "--rounds", "4"));
const seconds = takeOption(argv, "--seconds", "3");
const scenario = takeOption(argv, "--scenario", "chat");
const db = takeOption(argv, "--db", "postgres");
const port = process.env.SWITCHYARD_BENCH_PORT ?? "3994";
const mockPort = process.env.SWITCHYARD_BENCH_MOCK_PORT ?? "18094";

const configDir = mkdtempSync(path.join(tmpdir(), "switchyard-bench-route-"));
const config = path.join(configDir, "switchyard.yaml");
writeFileSync(
  config,
  "routes:\n  - name: bench-route\n    strategy: fallback\n    targets:\n      - model: openai/gpt-4o-mini\n",
);

ensureBuild();
const target = await prepareTarget({ db, port, env: { SWITCHYARD_CONFIG: config } });
function load(model) {
  const out = execFileSync(process.execPath, [
    path.join(benchDir, "load.mjs"), "--url", `http://127.0.0.1:${port}/v1`, "--scenario", scenario,
    "--conns", conns, "--duration", seconds, "--warmup", "1", "--model", model,
    "--header", `Authorization: Bearer ${target.key}`,
  ], { encoding: "utf8" });
  return JSON.parse(out);
}

let stopAll = () => {};
try {
  stopAll = (await startMockAndTarget({ target, port, mockPort })).stop;
  const results = { direct: [], route: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [name, model] of [["direct", "gpt-4o-mini"], ["route", "bench-route"]]) {
      const res = load(model);
      if (res.errors) throw new Error(`${name}: ${res.errors} errors (${JSON.stringify(res.statuses ?? res.status)})`);
      results[name].push(res);
      log(`round ${r + 1}/${rounds} ${name}: ${Math.round(res.rps)} rps, p50 ${res.p50} ms, TTFB p50 ${res.ttfb_p50} ms`);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const summary = (rs) => ({ rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), ttfb: median(rs.map((r) => r.ttfb_p50)) });
  const d = summary(results.direct);
  const t = summary(results.route);
  console.log(`| ${scenario}, ${conns} conns (median of ${rounds}) | RPS | p50 ms | TTFB p50 ms |`);
  console.log("| --- | --- | --- | --- |");
  console.log(`| model \`gpt-4o-mini\` (direct) | ${Math.round(d.rps)} | ${d.p50.toFixed(2)} | ${d.ttfb.toFixed(2)} |`);
  console.log(`| route \`bench-route\` (1 target) | ${Math.round(t.rps)} | ${t.p50.toFixed(2)} | ${t.ttfb.toFixed(2)} |`);
  console.log(`| route − direct | ${(t.rps / d.rps).toFixed(2)}× | ${(t.p50 - d.p50 >= 0 ? "+" : "")}${(t.p50 - d.p50).toFixed(2)} | ${(t.ttfb - d.ttfb >= 0 ? "+" : "")}${(t.ttfb - d.ttfb).toFixed(2)} |`);
} finally {
  stopAll();
  await new Promise((r) => setTimeout(r, 1500));
  target.cleanup();
  rmSync(configDir, { recursive: true, force: true });
}
