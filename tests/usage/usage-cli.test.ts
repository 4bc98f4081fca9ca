import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "~/server/db/client";
import { pgliteDir } from "~/server/db/paths";
import { requestLogs } from "~/server/db/schema";
import { logRow, seedUsage, type UsageSeed } from "./seed";

/* `usage` through the real CLI (`tsx src/cli/index.ts`) on an embedded database seeded here. */

const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;
let seed: UsageSeed;

function cli(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOG_LEVEL: "warn",
      SWITCHYARD_DATA_DIR: dataDir,
    };
    delete env.DATABASE_URL;
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

const errorLines = (r: CliResult) => r.stderr.split("\n").filter((l) => l.startsWith("error:"));

beforeAll(async () => {
  dataDir = path.join(
    "tests",
    "output",
    `usage-cli-${Date.now()}-${randomBytes(3).toString("hex")}`,
  );
  mkdirSync(dataDir, { recursive: true });
  const handle = await openDatabase({ kind: "pglite", dataDir: pgliteDir(dataDir) });
  try {
    seed = await seedUsage(handle.db);
    // Recent traffic for the relative ranges.
    await handle.db.insert(requestLogs).values([
      logRow(seed.a.org.id, {
        apiKeyId: seed.keys.main,
        promptTokens: 40,
        completionTokens: 2,
        costMicros: 120n,
        createdAt: new Date(Date.now() - 3_600_000),
      }),
      logRow(seed.a.org.id, {
        apiKeyId: seed.keys.dev,
        servedModel: "my-llama",
        promptTokens: 7,
        completionTokens: 1,
        costMicros: null,
        unpriced: true,
        createdAt: new Date(Date.now() - 2 * 86_400_000),
      }),
    ]);
  } finally {
    await handle.close();
  }
});

describe("usage CLI", () => {
  it("usage --since 7d prints the totals and a table by model", async () => {
    const r = await cli(["usage", "--org", seed.a.org.slug, "--since", "7d"]);
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(
      new RegExp(`^Usage of ${seed.a.org.slug}, .+ → .+ \\(daily buckets\\)$`),
    );
    expect(r.stdout).toContain("Spend:    $0.000120 (excludes 1 unpriced request)");
    expect(r.stdout).toContain("Requests: 2 (0 failed)");
    const header = lines.find((l) => l.startsWith("MODEL"));
    expect(header).toMatch(
      /^MODEL\s+REQUESTS\s+TOKENS IN\s+TOKENS OUT\s+CACHED\s+SPEND\s+UNPRICED\s+SAVED$/,
    );
    expect(lines.find((l) => l.startsWith("gpt-4o "))).toMatch(
      /^gpt-4o\s+1\s+40\s+2\s+0\s+\$0\.000120\s+0\s+\$0\.000000$/,
    );
    expect(lines.find((l) => l.startsWith("my-llama "))).toMatch(
      /^my-llama\s+1\s+7\s+1\s+0\s+unpriced\s+1\s+\$0\.000000$/,
    );
  });

  it("--json with --by key: exact money as strings, every bucket, the org's keys", async () => {
    const r = await cli([
      "usage",
      "--org",
      seed.a.org.slug,
      "--since",
      "2025-03-01",
      "--until",
      "2025-03-03T00:00:00Z",
      "--by",
      "key",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as {
      bucket: string;
      by: string;
      totals: {
        spendMicros: string;
        spendUsd: string;
        unpricedRequests: number;
        savedUsd: string;
        hitRate: number;
      };
      breakdown: { id: string; label: string; spendUsd: string | null; requests: number }[];
      buckets: { start: string; spendMicros: string }[];
    };
    expect(json).toMatchObject({ bucket: "hour", by: "key" });
    expect(json.totals).toMatchObject({
      spendMicros: "2234580",
      spendUsd: "2.234580",
      unpricedRequests: 2,
      savedUsd: "0.750001",
      hitRate: 0.5,
    });
    expect(json.breakdown.map((b) => [b.label, b.requests, b.spendUsd])).toEqual([
      ["fixture key", 3, "1.234567"],
      ["=batch,jobs", 2, "0.999999"],
      [seed.bKey, 1, "0.000011"],
      ["dev", 2, "0.000003"],
    ]);
    expect(json.buckets).toHaveLength(48);
    expect(json.buckets[0]).toMatchObject({
      start: "2025-03-01T00:00:00.000Z",
      spendMicros: "1234567",
    });
  });

  it("a bad --since, an inverted range, a bad --by: a clear error and exit 2; an unknown org: exit 1", async () => {
    const bad = await cli(["usage", "--org", seed.a.org.slug, "--since", "yesterday"]);
    expect(bad.code).toBe(2);
    expect(errorLines(bad)).toEqual([
      'error: --since: "yesterday" is not a time; use a duration like 24h, 7d, 2w or an ISO date like 2026-01-31 or 2026-01-31T12:00:00Z',
    ]);
    expect(bad.stdout).toBe("");
    const inverted = await cli([
      "usage",
      "--org",
      seed.a.org.slug,
      "--since",
      "2025-03-03",
      "--until",
      "2025-03-01",
    ]);
    expect([inverted.code, errorLines(inverted)]).toEqual([
      2,
      ["error: --until: The end of the range must be after its start."],
    ]);
    const by = await cli(["usage", "--org", seed.a.org.slug, "--by", "cost"]);
    expect(by.code).toBe(2);
    expect(errorLines(by)[0]).toMatch(/^error: --by: /);
    const unknown = await cli(["usage", "--org", "no-such-org", "--since", "1d"]);
    expect([unknown.code, errorLines(unknown)]).toEqual([
      1,
      ['error: No organization with slug "no-such-org".'],
    ]);
  });
});
