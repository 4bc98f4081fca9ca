#!/usr/bin/env node
// `npm run soak`: a production Switchyard under constant load for a while (default 5 minutes,
// 50 connections, non-streaming chat against ../shared/bench/mock-upstream.mjs), sampling the
// server's RSS as it goes. Fails when memory keeps growing: the last minute's peak may not exceed
// the second minute's by more than --max-growth-mb (default 15).
//   npm run soak -- [--seconds 300] [--conns 50] [--scenario chat] [--db postgres|embedded]
import { spawn, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { benchDir, ensureBuild, log, prepareTarget, startMockAndTarget, takeOption } from "./bench-target.mjs";

const argv = process.argv.slice(2);
const seconds = Number(takeOption(argv, "--seconds", "300"));
const conns = takeOption(argv, "--conns", "50");
const scenario = takeOption(argv, "--scenario", "chat");
const db = takeOption(argv, "--db", "postgres");
const maxGrowthMb = Number(takeOption(argv, "--max-growth-mb", "15"));
const port = process.env.SWITCHYARD_SOAK_PORT ?? "3996";
const mockPort = process.env.SWITCHYARD_SOAK_MOCK_PORT ?? "18096";
const SAMPLE_MS = 5_000;

const rssMb = (pid) => {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
};
const children = (pid) => {
  try {
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

ensureBuild();
const target = await prepareTarget({ db, port });
let stopAll = () => {};
try {
  const running = await startMockAndTarget({ target, port, mockPort });
  const { server } = running;
  stopAll = running.stop;
  log(`soak: ${seconds} s, ${conns} connections, ${scenario}, ${db} database; sampling RSS every ${SAMPLE_MS / 1000} s`);

  const load = spawn(process.execPath, [
    path.join(benchDir, "load.mjs"), "--url", `http://127.0.0.1:${port}/v1`, "--scenario", scenario,
    "--conns", conns, "--duration", String(seconds), "--warmup", "0", "--header", `Authorization: Bearer ${target.key}`,
  ], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  load.stdout.on("data", (d) => (out += d));
  const loadDone = new Promise((resolve) => load.once("exit", resolve));

  const samples = [];
  const started = Date.now();
  const timer = setInterval(() => {
    const t = Math.round((Date.now() - started) / 1000);
    const rss = rssMb(server.pid);
    const db = children(server.pid).map(rssMb).filter((v) => v !== null);
    samples.push({ t, rss });
    log(`soak: ${String(t).padStart(4)} s  server RSS ${rss} MB${db.length ? `  (embedded database process ${db.join(", ")} MB)` : ""}`);
  }, SAMPLE_MS);
  await loadDone;
  clearInterval(timer);
  const result = JSON.parse(out);
  // The request-log queue's counters (written, dropped): did logging keep up with the load?
  await new Promise((r) => setTimeout(r, 2_000));
  const requestLog = await fetch(`http://127.0.0.1:${port}/readyz`)
    .then((r) => r.json())
    .then((j) => j.requestLog ?? null)
    .catch(() => null);

  const peak = (from, to) => Math.max(...samples.filter((s) => s.t > from && s.t <= to).map((s) => s.rss ?? 0));
  const early = seconds >= 180 ? peak(60, 120) : null;
  const late = seconds >= 180 ? peak(seconds - 60, seconds) : null;
  const growth = early === null || late === null ? null : late - early;
  const summary = {
    seconds, conns: Number(conns), scenario, db, rps: result.rps, p50: result.p50, p99: result.p99,
    statuses: result.statuses ?? result.status, peakRssMb: Math.max(...samples.map((s) => s.rss ?? 0)),
    secondMinutePeakMb: early, lastMinutePeakMb: late, growthMb: growth, requestLog,
  };
  console.log(JSON.stringify(summary, null, 2));
  if (seconds >= 180 && growth > maxGrowthMb) {
    log(`soak: FAILED: RSS grew ${growth} MB between the second and the last minute (limit ${maxGrowthMb} MB)`);
    process.exitCode = 1;
  } else if (growth === null) log("soak: too short to judge growth (needs --seconds 180 or more)");
  else log(`soak: ok (growth ${growth} MB; limit ${maxGrowthMb} MB)`);
} finally {
  stopAll();
  await new Promise((r) => setTimeout(r, 1500));
  target.cleanup();
}
