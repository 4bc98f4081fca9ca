/**
 * Guardrail detector benchmark: µs per call of every built-in detector on 4 KB and 64 KB of
 * prompt-like text, the total of `detectAll` over all of them, and a linear-time check on
 * adversarial 100 KB inputs (long runs of the characters each detector keys on), which fails
 * the run when any detector exceeds a generous bound.
 *
 *   npx tsx scripts/bench-detectors.ts [--quick]
 */
import {
  BUILT_IN_DETECTORS,
  createKeywordDetector,
  createRegexDetector,
  detectAll,
  type Detector,
} from "../src/gateway/guardrails/detectors";
import { samplePrompt } from "../tests/guardrails/sample-prompts";

const quick = process.argv.includes("--quick");
const ADVERSARIAL_BOUND_MS = 250;

/**
 * CPU µs per call (process.cpuUsage, median of batches): on a shared machine CPU time is far
 * steadier than wall time, which also counts the time other processes hold the core.
 */
function timeIt(fn: () => void, minMs: number): number {
  // Warm up until the JIT has settled (optimised code, not the first tiers).
  const warm = performance.now() + minMs / 2;
  for (let i = 0; i < 200 || performance.now() < warm; i++) fn();
  const samples: number[] = [];
  const deadline = performance.now() + minMs;
  while (performance.now() < deadline || samples.length < 7) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    let n = 0;
    while (performance.now() - w0 < minMs / 12) {
      fn();
      n++;
    }
    const c = process.cpuUsage(c0);
    samples.push((c.user + c.system) / n);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** A bare loop over the text's characters: how fast this machine is right now. */
function calibrate(text: string): number {
  let sink = 0;
  const sum = (s: string) => {
    let n = 0;
    for (let i = 0; i < s.length; i++) n += s.charCodeAt(i);
    return n;
  };
  const us = timeIt(() => {
    sink ^= sum(text);
  }, 300);
  return sink === 0.5 ? 0 : (us * 1000) / text.length;
}

const keywordDetector = createKeywordDetector({
  id: "custom.keywords",
  label: "KEYWORD",
  keywords: Array.from({ length: 1000 }, (_, i) => `codename-${i.toString(36)}-${(i * 7919).toString(36)}`),
});
const regexDetector = createRegexDetector({ id: "custom.ticket", label: "TICKET", pattern: "\\bTCK-\\d{4,8}\\b" });
const detectors: Detector[] = [...BUILT_IN_DETECTORS, keywordDetector, regexDetector];

// Flat strings, as JSON.parse produces them for a request body (not concatenation ropes).
const flat = (s: string) => JSON.parse(JSON.stringify(s)) as string;
const inputs = { "4 KB": flat(samplePrompt(4096)), "64 KB": flat(samplePrompt(65_536)) };
const budget = quick ? 100 : 400;

const loadavg = (await import("node:os")).loadavg()[0]!.toFixed(1);
console.log(`machine: bare character loop ${calibrate(inputs["4 KB"]).toFixed(2)} ns/char, load average ${loadavg}`);
console.log("CPU µs per call (median of batches)\n");
console.log(`| detector | ${Object.keys(inputs).join(" | ")} |`);
console.log(`| --- | ${Object.keys(inputs).map(() => "---:").join(" | ")} |`);
for (const d of detectors) {
  const cells = Object.values(inputs).map((text) => timeIt(() => d.detect(text), budget).toFixed(1));
  console.log(`| ${d.id} | ${cells.join(" | ")} |`);
}
const totals = Object.values(inputs).map((text) => timeIt(() => detectAll(text, BUILT_IN_DETECTORS), budget * 2).toFixed(1));
console.log(`| **detectAll, all built-in** | ${totals.map((t) => `**${t}**`).join(" | ")} |`);

// ----------------------------------------------------------------------------- adversarial
const K100 = 100_000;
const fill = (unit: string) => unit.repeat(Math.ceil(K100 / unit.length)).slice(0, K100);
let seed = 7;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const randomUnicode = Array.from({ length: K100 }, () => String.fromCharCode(Math.floor(random() * 0xffff))).join("");
const adversarial: Record<string, string> = {
  "a…": fill("a"),
  "digits": fill("1"),
  "1 1 1": fill("1 "),
  "1-1-1": fill("1-"),
  "1.1.1": fill("1."),
  "(1)(1)": fill("(1) "),
  "+1+1": fill("+1"),
  "@@@": fill("@"),
  "a@a@": fill("a@"),
  "a.a@b.": fill("a.b@c."),
  "colons": fill(":"),
  "a:a:": fill("a:"),
  "hex::": fill("ffff:"),
  "eyJ…": fill("eyJ"),
  "eyJ.": fill("eyJa."),
  "sk-": fill("sk-"),
  "sk-a…": "sk-" + fill("a"),
  "AKIA": fill("AKIA"),
  "xoxb-": fill("xoxb-1"),
  "base64": fill("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo"),
  "hex": fill("deadbeef"),
  "BEGIN KEY": fill("-----BEGIN PRIVATE KEY-----\n"),
  "BEGIN + body": "-----BEGIN RSA PRIVATE KEY-----\n" + fill("QUJD\n"),
  "postgres://": fill("postgres://"),
  "postgres://a:": fill("postgres://a:b"),
  "password=": fill("password="),
  "server=;": fill("server=a;password=b "),
  "token: x": fill("token: "),
  "ignore ": fill("ignore all previous "),
  "you are ": fill("you are "),
  "\\n### ": fill("\n### "),
  "zero-width": fill("a\u200b"),
  "tag chars": fill("\udb40\udc41"),
  "f*ck": fill("f*"),
  "aaaa!": fill("aaaa! "),
  "IBAN-ish": fill("DE89 "),
  "DE89…": "DE89" + fill("1"),
  "dates": fill("12/12/"),
  "born ": fill("born 1 "),
  "DOB 1985": fill("DOB 12 March 19"),
  "random unicode": randomUnicode,
};

console.log(`\nadversarial 100 KB inputs (CPU ms, bound ${ADVERSARIAL_BOUND_MS} ms per detector call)\n`);
let failures = 0;
const worst: { detector: string; input: string; ms: number }[] = [];
for (const d of detectors) {
  let max = { input: "", ms: 0 };
  for (const [name, text] of Object.entries(adversarial)) {
    const c0 = process.cpuUsage();
    d.detect(text);
    const c = process.cpuUsage(c0);
    const ms = (c.user + c.system) / 1000;
    if (ms > max.ms) max = { input: name, ms };
    if (ms > ADVERSARIAL_BOUND_MS) {
      failures++;
      console.log(`SLOW  ${d.id} on "${name}": ${ms.toFixed(1)} ms`);
    }
  }
  worst.push({ detector: d.id, ...max });
}
console.log("| detector | slowest adversarial input | ms |");
console.log("| --- | --- | ---: |");
for (const w of worst) console.log(`| ${w.detector} | ${w.input} | ${w.ms.toFixed(1)} |`);
if (failures > 0) {
  console.log(`\n${failures} adversarial run(s) over ${ADVERSARIAL_BOUND_MS} ms`);
  process.exitCode = 1;
}
