import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/** `policies apply` / `list` end to end: the real CLI on a throwaway data dir (PGlite opened directly). */

const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");
let dataDir: string;

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", SWITCHYARD_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.SWITCHYARD_CONFIG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, "src/cli/index.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function writeFile(name: string, text: string): string {
  const file = path.join(dataDir, name);
  writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  dataDir = path.join("tests", "output", `policies-cli-${Date.now()}-${randomBytes(3).toString("hex")}`);
  mkdirSync(dataDir, { recursive: true });
  const created = await cli(["orgs", "create", "Acme", "--slug", "acme"]);
  expect(created.code, created.stderr).toBe(0);
}, 120_000);

describe("policies CLI", () => {
  it("apply → list → apply again; a bad file changes nothing", async () => {
    const file = writeFile(
      "policies.yaml",
      `policies:
  - id: pii
    name: Redact PII
    priority: 10
    rules:
      - id: emails
        detectors: [pii.email]
        action: redact
  - id: secrets
    name: No secrets
    priority: 5
    stage: both
    rules:
      - id: keys
        detectors: [secret]
        action: block
`,
    );
    const applied = await cli(["policies", "apply", "--org", "acme", "--file", file]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toBe("Created: pii, secrets\nUpdated: -\nUnchanged: -\n");
    expect(applied.stderr).toMatch(/2 policies valid; applying to acme…/);

    const table = await cli(["policies", "list", "--org", "acme"]);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ID\s+NAME\s+SOURCE\s+PRIORITY\s+STAGE\s+ACTIONS\s+ENABLED\s+VERSION\s+UPDATED$/);
    expect(lines[1]).toMatch(/^secrets\s+No secrets\s+org\s+5\s+both\s+block\s+yes\s+1\s/);
    expect(lines[2]).toMatch(/^pii\s+Redact PII\s+org\s+10\s+input\s+redact\s+yes\s+1\s/);

    const again = await cli(["--json", "policies", "apply", "--org", "acme", "--file", writeFile("p.json", JSON.stringify([{ id: "pii", name: "PII v2", rules: [{ id: "emails", detectors: ["pii.email"], action: "mask" }] }]))]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ created: [], updated: ["pii"], unchanged: [] });

    const bad = await cli(["policies", "apply", "--org", "acme", "--file", writeFile("bad.yaml", "- id: x\n  name: X\n  rules: [{ id: r, detectors: [nope], action: flag }]\n")]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown detector 'nope'/);
    const listed = JSON.parse((await cli(["--json", "policies", "list", "--org", "acme"])).stdout) as { org: { policyId: string; version: number }[] };
    expect(listed.org.map((p) => [p.policyId, p.version])).toEqual([
      ["secrets", 1],
      ["pii", 2],
    ]);
  }, 300_000);
});
