import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "~/cli/cli-error";
import { parseBudgetFlags, parseKeyLimitFlags, type LimitFlags } from "~/cli/commands/limit-flags";

/*
 * Limit and budget flags of `keys create` / `keys update` and the `limits` command, end to end:
 * the real CLI (`tsx src/cli/index.ts`) on a throwaway data dir (PGlite opened directly).
 */

const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");
const KEY = /^sy-[0-9A-Za-z]{43}$/;

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

async function json<T>(args: string[]): Promise<T> {
  const r = await cli(["--json", ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** The one `error: …` line of a failed run. */
function errorLine(r: CliResult): string {
  const lines = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

interface LimitsJson {
  tier: { name: string } | null;
  own: Record<string, number | null>;
  effective: Record<string, number | null> | null;
}
interface BudgetJson {
  amountMicros: number;
  period: string;
  hard: boolean;
  scope: string;
}

beforeAll(async () => {
  dataDir = path.join(
    "tests",
    "output",
    `limits-cli-${Date.now()}-${randomBytes(3).toString("hex")}`,
  );
  mkdirSync(dataDir, { recursive: true });
  const created = await cli(["orgs", "create", "Acme", "--slug", "acme"]);
  expect(created.code, created.stderr).toBe(0);
}, 120_000);

describe("keys create/update with limits, and `limits` (spawned CLI)", () => {
  it("tiers apply → keys create with flags → keys update → --clear-limits → limits show; errors", async () => {
    const applied = await cli(["limits", "tiers", "apply", "--org", "acme"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toBe("Created: free, pro, enterprise\nAlready there: -\n");

    const created = await cli([
      "keys",
      "create",
      "--org",
      "acme",
      "--name",
      "limited",
      "--rpm",
      "10",
      "--tier",
      "pro",
      "--budget-usd",
      "25",
      "--budget-period",
      "monthly",
    ]);
    expect(created.code, created.stderr).toBe(0);
    const lines = created.stdout.trim().split("\n");
    // The secret stays alone on the last line.
    expect(lines.at(-1)).toMatch(KEY);
    expect(created.stdout).toContain(
      "limits: tier pro · rpm 10 · tpm 2,000,000 · rpd 50,000 · concurrent 20",
    );
    expect(created.stdout).toContain("budget: $25.00 monthly, hard (spent $0.00 this period)");
    const id = /\(id: (key_\w+)\)/.exec(created.stdout)![1]!;

    const updated = await json<{ limits: LimitsJson; budgets: BudgetJson[] }>([
      "keys",
      "update",
      id,
      "--org",
      "acme",
      "--tpm",
      "5000",
      "--budget-usd",
      "30",
      "--budget-period",
      "monthly",
      "--budget-soft",
    ]);
    expect(updated.limits.tier?.name).toBe("pro");
    expect(updated.limits.effective).toEqual({ rpm: 10, tpm: 5000, rpd: 50_000, concurrent: 20 });
    // The monthly budget was changed, not duplicated.
    expect(updated.budgets).toEqual([
      expect.objectContaining({
        scope: "key",
        amountMicros: 30_000_000,
        period: "monthly",
        hard: false,
      }),
    ]);

    const cleared = await json<{ limits: LimitsJson; budgets: BudgetJson[] }>([
      "keys",
      "update",
      id,
      "--org",
      "acme",
      "--clear-limits",
      "--rpd",
      "99",
    ]);
    expect(cleared.limits.tier).toBeNull();
    expect(cleared.limits.effective).toEqual({ rpm: null, tpm: null, rpd: 99, concurrent: null });
    expect(cleared.budgets).toEqual([]);

    // Bad input: one clear error line; usage errors exit 2 before the database is opened.
    const negative = await cli(["keys", "create", "--org", "acme", "--name", "bad", "--rpm", "-5"]);
    expect(negative.code).toBe(2);
    expect(errorLine(negative)).toBe("error: --rpm: must be at least 1");
    expect(negative.stdout).toBe("");
    // A tier the org does not have: a domain error (exit 1), and no key is left behind.
    const unknownTier = await cli([
      "keys",
      "create",
      "--org",
      "acme",
      "--name",
      "bad",
      "--tier",
      "gold",
    ]);
    expect(unknownTier.code).toBe(1);
    expect(errorLine(unknownTier)).toBe('error: This organization has no tier named "gold".');
    const missing = await cli(["keys", "update", "key_missing", "--org", "acme", "--rpm", "5"]);
    expect(missing.code).toBe(1);
    expect(errorLine(missing)).toBe("error: No API key with that id in this organization.");

    const show = await cli(["limits", "show", "--org", "acme"]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(
      /Tiers:\nTIER\s+RPM\s+TPM\s+RPD\s+CONCURRENT\s+KEYS\nenterprise\s+5,000\s+20,000,000\s+-\s+200\s+0/,
    );
    expect(show.stdout).toMatch(new RegExp(`${id}\\s+limited\\s+-\\s+-\\s+-\\s+99\\s+-`));
    expect(show.stdout).toContain("Budgets:\n  none");
    expect(show.stdout).not.toMatch(/\bbad\b/);
  }, 600_000);
});

describe("limit flags (parsed in process, as the CLI parses them)", () => {
  it("each bad value names its flag and says what is wrong", () => {
    const cases: [LimitFlags, RegExp][] = [
      [{ rpm: "-5" }, /^--rpm: must be at least 1$/],
      [{ rpm: "0" }, /^--rpm: must be at least 1$/],
      [{ rpm: "abc" }, /^--rpm: must be a number$/],
      [{ tpm: "1.5" }, /^--tpm: must be a whole number$/],
      [{ concurrent: "99999999999" }, /^--concurrent: must be at most 1,000,000,000$/],
      [{ tier: "" }, /^--tier: /],
      [{ budgetUsd: "-1", budgetPeriod: "daily" }, /^--budget-usd: must be more than \$0$/],
      [{ budgetUsd: "0", budgetPeriod: "daily" }, /^--budget-usd: must be more than \$0$/],
      [{ budgetUsd: "ten", budgetPeriod: "daily" }, /^--budget-usd: must be a number$/],
      [
        { budgetUsd: "2e9", budgetPeriod: "daily" },
        /^--budget-usd: must be at most \$1,000,000,000$/,
      ],
      [{ budgetUsd: "5", budgetPeriod: "yearly" }, /^--budget-period: /],
      [{ budgetUsd: "5" }, /^--budget-usd: give --budget-period too/],
      [{ budgetPeriod: "daily" }, /^--budget-period: give --budget-usd too$/],
      [{ budgetSoft: true }, /^--budget-soft: give --budget-usd too$/],
    ];
    for (const [flags, message] of cases) {
      const run = () => {
        parseKeyLimitFlags(flags);
        parseBudgetFlags(flags);
      };
      expect(run, JSON.stringify(flags)).toThrow(UsageError);
      expect(run, JSON.stringify(flags)).toThrow(message);
    }
  });

  it("good values: numbers, a tier name, USD with a $ sign; nothing given → null", () => {
    expect(parseKeyLimitFlags({ rpm: "10", tier: "pro" })).toEqual({ rpm: 10, tierName: "pro" });
    expect(
      parseBudgetFlags({ budgetUsd: "$12.5", budgetPeriod: "weekly", budgetSoft: true }),
    ).toEqual({
      amountMicros: 12_500_000,
      period: "weekly",
      hard: false,
    });
    expect(parseKeyLimitFlags({})).toBeNull();
    expect(parseBudgetFlags({})).toBeNull();
  });
});
