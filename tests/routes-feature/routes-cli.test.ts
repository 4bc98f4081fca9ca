import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/*
 * `routes apply` / `list` / `delete` end to end: the real CLI (`tsx src/cli/index.ts`, what
 * `npm run cli --` runs) on a throwaway data dir with no server up (PGlite opened directly).
 */

const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;

function cli(args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: "warn",
    SWITCHYARD_DATA_DIR: dataDir,
  };
  delete env.DATABASE_URL;
  delete env.SWITCHYARD_CONFIG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, "src/cli/index.ts", ...args], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
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

interface ListJson {
  org: {
    name: string;
    version: number;
    enabled: boolean;
    definition: { strategy: string; targets: { model: string; weight?: number }[] };
  }[];
  instance: unknown[];
}

beforeAll(async () => {
  dataDir = path.join(
    "tests",
    "output",
    `routes-cli-${Date.now()}-${randomBytes(3).toString("hex")}`,
  );
  mkdirSync(dataDir, { recursive: true });
  const created = await cli(["orgs", "create", "Acme", "--slug", "acme"]);
  expect(created.code, created.stderr).toBe(0);
}, 120_000);

describe("routes CLI", () => {
  it("apply (YAML `routes:` list) → list → apply again (JSON bare list) → delete", async () => {
    const yamlFile = writeFile(
      "routes.yaml",
      `routes:
  - name: smart
    targets:
      - model: mock/mock-gpt
      - model: mock/mock-embed
  - name: split
    strategy: weighted
    targets:
      - model: mock/mock-gpt
        weight: 3
      - model: nowhere/model-x
`,
    );
    const applied = await cli(["routes", "apply", "--org", "acme", "--file", yamlFile]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toBe("Created: smart, split\nUpdated: -\nUnchanged: -\n");
    // Progress and warnings go to stderr, never into the result.
    expect(applied.stderr).toMatch(/Reading routes\.yaml…/);
    expect(applied.stderr).toMatch(/2 routes valid; applying to acme…/);
    expect(applied.stderr).toMatch(/warning: split: No provider .* "nowhere\/model-x"/);

    const table = await cli(["routes", "list", "--org", "acme"]);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+SOURCE\s+STRATEGY\s+TARGETS\s+ENABLED\s+VERSION\s+UPDATED$/);
    expect(lines[1]).toMatch(
      /^smart\s+org\s+fallback\s+mock\/mock-gpt, mock\/mock-embed\s+yes\s+1\s/,
    );
    expect(lines[2]).toMatch(
      /^split\s+org\s+weighted\s+mock\/mock-gpt×3, nowhere\/model-x\s+yes\s+1\s/,
    );

    const jsonFile = writeFile(
      "routes.json",
      JSON.stringify([
        { name: "smart", targets: [{ model: "mock/mock-gpt" }, { model: "mock/mock-embed" }] },
        { name: "split", strategy: "weighted", targets: [{ model: "mock/mock-gpt", weight: 1 }] },
        { name: "fresh", targets: [{ model: "mock-gpt" }] },
      ]),
    );
    const again = await cli(["--json", "routes", "apply", "--org", "acme", "--file", jsonFile]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      created: ["fresh"],
      updated: ["split"],
      unchanged: ["smart"],
    });

    const listed = await cli(["--json", "routes", "list", "--org", "acme"]);
    const list = JSON.parse(listed.stdout) as ListJson;
    expect(list.org.map((r) => [r.name, r.version])).toEqual([
      ["fresh", 1],
      ["smart", 1],
      ["split", 2],
    ]);
    expect(list.org[2]!.definition.targets).toEqual([{ model: "mock/mock-gpt", weight: 1 }]);

    const deleted = await cli(["routes", "delete", "--org", "acme", "--name", "fresh"]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toMatch(/^Deleted route fresh \(id: rte_\w+\)\.\n$/);
    const missing = await cli(["routes", "delete", "--org", "acme", "--name", "fresh"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: This organization has no route named "fresh"\.$/m);
  }, 240_000);

  it("a file with a bad route changes nothing and says where each problem is", async () => {
    const bad = writeFile(
      "bad.yaml",
      `routes:
  - name: smart
    targets:
      - model: mock/mock-embed
  - name: has/slash
    targets: []
`,
    );
    const result = await cli(["routes", "apply", "--org", "acme", "--file", bad]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /error: The routes document has 2 problems; nothing was changed\./,
    );
    expect(result.stderr).toMatch(/^line 5:\d+ routes\[1\]\.name: /m);
    expect(result.stderr).toMatch(/^line 6:\d+ routes\[1\]\.targets: /m);
    // Refused before the database was opened.
    expect(result.stderr).not.toMatch(/applying to acme/);

    const unreadable = await cli([
      "routes",
      "apply",
      "--org",
      "acme",
      "--file",
      path.join(dataDir, "nope.yaml"),
    ]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/error: --file: cannot read .*nope\.yaml \(no such file\)/);

    const list = JSON.parse(
      (await cli(["--json", "routes", "list", "--org", "acme"])).stdout,
    ) as ListJson;
    expect(list.org.find((r) => r.name === "smart")!.definition.targets).toHaveLength(2);
  }, 180_000);
});
