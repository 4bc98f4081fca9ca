import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { dbSocketFile } from "~/server/db/socket-server";
import { usePostgres } from "../setup/postgres";

/*
 * Spawns the real CLI (`tsx src/cli/index.ts`, what `npm run cli --` runs) against throwaway data
 * dirs: with no server (PGlite opened directly), with a server process holding the database
 * (socket), and with DATABASE_URL on a real PostgreSQL.
 */

const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");
const KEY = /^sy-[0-9A-Za-z]{43}$/;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Last non-empty stdout line. */
  lastLine: string;
}

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn" };
  delete env.DATABASE_URL;
  delete env.SWITCHYARD_CLI_PASSWORD;
  return env;
}

function cli(
  dataDir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, "src/cli/index.ts", ...args], {
      env: { ...baseEnv(), SWITCHYARD_DATA_DIR: dataDir, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) => {
      const lines = stdout.split("\n").filter((l) => l.trim() !== "");
      resolve({ code, stdout, stderr, lastLine: lines.at(-1) ?? "" });
    });
  });
}

async function cliJson<T>(
  dataDir: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<T> {
  const result = await cli(dataDir, ["--json", ...args], env);
  if (result.code !== 0)
    throw new Error(`cli ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

function freshDataDir(name: string): string {
  const dir = path.join(
    "tests",
    "output",
    `${name}-${Date.now()}-${randomBytes(3).toString("hex")}`,
  );
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The one error line: `error: …`, nothing else but progress lines. */
function errorLine(result: CliResult): string {
  const lines = result.stderr.split("\n").filter((l) => l.startsWith("error:"));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

interface KeyJson {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  allowedModels: string[] | null;
  metadata: Record<string, string>;
  status: string;
}
interface OrgJson {
  id: string;
  slug: string;
  name: string;
}

/**
 * Key lifecycle shared by every database mode; `full` adds the database-dependent error cases and
 * users/members (the same postgres.js code path as the socket mode, so skipped on PostgreSQL).
 */
function happyPath(
  getDataDir: () => string,
  options: { env?: () => Record<string, string>; full: boolean },
) {
  const env = options.env ?? (() => ({}));
  let key: string;
  let keyId: string;

  it("keys create --create-org prints the key alone on the last line of stdout", async () => {
    const result = await cli(
      getDataDir(),
      ["keys", "create", "--org", "acme", "--name", "demo", "--create-org"],
      env(),
    );
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.code).toBe(0);
    expect(result.lastLine).toMatch(KEY);
    // The secret appears once, on that last line only.
    expect(result.stdout.split(result.lastLine)).toHaveLength(2);
    expect(result.stdout).toContain("Created organization acme");
    expect(result.stderr).not.toContain(result.lastLine);
    key = result.lastLine;
  });

  it("keys list --json: id, name, prefix, last4, dates, never the secret", async () => {
    const keys = await cliJson<KeyJson[]>(getDataDir(), ["keys", "list", "--org", "acme"], env());
    expect(keys).toHaveLength(1);
    const [k] = keys;
    expect(k).toMatchObject({
      name: "demo",
      prefix: key.slice(0, 7),
      last4: key.slice(-4),
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
      allowedModels: null,
      metadata: {},
      status: "active",
    });
    expect(k!.id).toMatch(/^key_/);
    expect(new Date(k!.createdAt).getTime()).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(JSON.stringify(keys)).not.toContain(key);
    expect(k).not.toHaveProperty("hash");
    keyId = k!.id;

    // --json also works after the subcommand.
    const after = await cli(getDataDir(), ["keys", "list", "--org", "acme", "--json"], env());
    expect(JSON.parse(after.stdout)).toEqual(keys);
  });

  it("keys create --json with expiry, models and metadata; an existing org is reused", async () => {
    const created = await cliJson<KeyJson & { key: string; org: OrgJson; orgCreated: boolean }>(
      getDataDir(),
      [
        "keys",
        "create",
        "--org",
        "acme",
        "--name",
        "scoped",
        "--create-org",
        "--expires",
        "30d",
        "--models",
        "gpt-4o-mini, claude-haiku",
        "--metadata",
        "team=ml",
        "env=prod",
      ],
      env(),
    );
    expect(created.key).toMatch(KEY);
    expect(created).toMatchObject({
      name: "scoped",
      orgCreated: false,
      org: { slug: "acme" },
      allowedModels: ["gpt-4o-mini", "claude-haiku"],
      metadata: { team: "ml", env: "prod" },
    });
    const days = (new Date(created.expiresAt!).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    const keys = await cliJson<KeyJson[]>(getDataDir(), ["keys", "list", "--org", "acme"], env());
    expect(keys.map((k) => k.name).sort()).toEqual(["demo", "scoped"]);
  });

  it("keys revoke marks the key revoked; revoking again is an error", async () => {
    const result = await cli(getDataDir(), ["keys", "revoke", "--org", "acme", keyId], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Revoked API key ${keyId}`);
    const keys = await cliJson<KeyJson[]>(getDataDir(), ["keys", "list", "--org", "acme"], env());
    const revoked = keys.find((k) => k.id === keyId)!;
    expect(revoked.status).toBe("revoked");
    expect(revoked.revokedAt).not.toBeNull();
    const again = await cli(getDataDir(), ["keys", "revoke", "--org", "acme", keyId], env());
    expect(again.code).toBe(1);
    expect(errorLine(again)).toBe("error: This API key is already revoked.");
  });

  if (!options.full) return;

  it("refuses unknown orgs, unknown key ids and another org's key ids, writing nothing", async () => {
    const dataDir = getDataDir();
    await cli(dataDir, ["orgs", "create", "Other", "--slug", "other"], env());
    const before = {
      orgs: await cliJson<OrgJson[]>(dataDir, ["orgs", "list"], env()),
      acme: await cliJson<KeyJson[]>(dataDir, ["keys", "list", "--org", "acme"], env()),
    };
    const activeId = before.acme.find((k) => k.status === "active")!.id;

    const unknownOrg = await cli(
      dataDir,
      ["keys", "create", "--org", "ghost", "--name", "x"],
      env(),
    );
    expect(unknownOrg.code).toBe(1);
    expect(errorLine(unknownOrg)).toBe('error: No organization with slug "ghost".');

    const unknownKey = await cli(
      dataDir,
      ["keys", "revoke", "--org", "acme", "key_doesnotexist"],
      env(),
    );
    expect(unknownKey.code).toBe(1);
    expect(errorLine(unknownKey)).toBe("error: No API key with that id in this organization.");

    const foreignKey = await cli(dataDir, ["keys", "revoke", "--org", "other", activeId], env());
    expect(foreignKey.code).toBe(1);
    expect(errorLine(foreignKey)).toBe("error: No API key with that id in this organization.");

    const unknownUser = await cli(
      dataDir,
      ["members", "add", "--org", "acme", "--email", "nobody@example.com", "--role", "admin"],
      env(),
    );
    expect(unknownUser.code).toBe(1);
    expect(errorLine(unknownUser)).toMatch(/^error: No user with email nobody@example.com\./);

    const listUnknown = await cli(dataDir, ["members", "list", "--org", "ghost"], env());
    expect(listUnknown.code).toBe(1);

    // A bad flag with --create-org creates no organization.
    const badDate = await cli(
      dataDir,
      [
        "keys",
        "create",
        "--org",
        "ghost",
        "--name",
        "x",
        "--create-org",
        "--expires",
        "2020-01-01",
      ],
      env(),
    );
    expect(badDate.code).toBe(2);
    expect(errorLine(badDate)).toBe("error: --expires: Expiry must be in the future");

    expect(await cliJson<OrgJson[]>(dataDir, ["orgs", "list"], env())).toEqual(before.orgs);
    expect(await cliJson<KeyJson[]>(dataDir, ["keys", "list", "--org", "acme"], env())).toEqual(
      before.acme,
    );
    expect(await cliJson<KeyJson[]>(dataDir, ["keys", "list", "--org", "other"], env())).toEqual(
      [],
    );
  });

  it("users create (password from SWITCHYARD_CLI_PASSWORD), members add and list", async () => {
    const dataDir = getDataDir();
    const email = `ann-${randomBytes(3).toString("hex")}@example.com`;
    const user = await cli(
      dataDir,
      ["users", "create", "--email", email.toUpperCase(), "--name", "Ann"],
      {
        ...env(),
        SWITCHYARD_CLI_PASSWORD: "correct horse battery",
      },
    );
    expect(user.code).toBe(0);
    expect(user.stdout).toContain(`Created user ${email}`);
    const added = await cli(
      dataDir,
      ["members", "add", "--org", "acme", "--email", email, "--role", "developer"],
      env(),
    );
    expect(added.code).toBe(0);
    const members = await cliJson<{ email: string; role: string; name: string }[]>(
      dataDir,
      ["members", "list", "--org", "acme"],
      env(),
    );
    expect(members).toEqual([expect.objectContaining({ email, role: "developer", name: "Ann" })]);
    const twice = await cli(
      dataDir,
      ["members", "add", "--org", "acme", "--email", email, "--role", "admin"],
      env(),
    );
    expect(twice.code).toBe(1);
    expect(errorLine(twice)).toMatch(/already a member/);
  });
}

describe("CLI without a server: PGlite opened directly", { timeout: 240_000 }, () => {
  const dataDir = freshDataDir("cli-direct");
  happyPath(() => dataDir, { full: true });

  it("says what it is doing on stderr and leaves no lock behind", async () => {
    const result = await cli(dataDir, ["orgs", "list"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("Opening embedded database");
    expect(result.stderr).toContain("Applying migrations…");
    expect(result.stdout).not.toContain("Opening");
    expect(existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);
    expect(existsSync(dbSocketFile(dataDir))).toBe(false);
  });

  it("ignores a stale socket file (its process is gone)", async () => {
    writeFileSync(
      dbSocketFile(dataDir),
      JSON.stringify({ host: "127.0.0.1", port: 9, pid: 2 ** 22 + 7 }),
    );
    const result = await cli(dataDir, ["--json", "orgs", "list"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Ignoring stale .*db-socket\.json/);
    expect(JSON.parse(result.stdout)).toEqual(
      expect.arrayContaining([expect.objectContaining({ slug: "acme" })]),
    );
  });

  it("serializes CLI processes on one data dir (lock): parallel runs all succeed", async () => {
    const results = await Promise.all(
      [1, 2, 3].map((i) =>
        cli(dataDir, ["keys", "create", "--org", "parallel", "--name", `p${i}`, "--create-org"]),
      ),
    );
    for (const r of results) {
      expect(r.stderr).not.toMatch(/^error:/m);
      expect(r.lastLine).toMatch(KEY);
    }
    const keys = await cliJson<KeyJson[]>(dataDir, ["keys", "list", "--org", "parallel"]);
    expect(keys.map((k) => k.name).sort()).toEqual(["p1", "p2", "p3"]);
  });
});

describe("CLI argument validation (nothing is opened or written)", { timeout: 60_000 }, () => {
  const emptyDir = freshDataDir("cli-validation");
  const long = (n: number) => "a".repeat(n);
  const cases: [string, string[], RegExp, Record<string, string>?][] = [
    [
      "missing --name",
      ["keys", "create", "--org", "acme"],
      /^error: required option '--name <name>' not specified$/,
    ],
    [
      "too-long key name",
      ["keys", "create", "--org", "acme", "--name", long(101)],
      /^error: --name: Name must be at most 100 characters$/,
    ],
    ["too-long org slug", ["keys", "create", "--org", long(60), "--name", "x"], /^error: --org: /],
    [
      "unparseable date",
      ["keys", "create", "--org", "acme", "--name", "x", "--expires", "tomorrow"],
      /^error: --expires: "tomorrow" is not a date/,
    ],
    [
      "past date",
      ["keys", "create", "--org", "acme", "--name", "x", "--expires", "2001-01-01T00:00:00Z"],
      /^error: --expires: Expiry must be in the future$/,
    ],
    [
      "metadata without =",
      ["keys", "create", "--org", "acme", "--name", "x", "--metadata", "team"],
      /^error: --metadata: "team" is not key=value$/,
    ],
    [
      "too-long metadata key",
      ["keys", "create", "--org", "acme", "--name", "x", "--metadata", `${long(65)}=v`],
      /^error: --metadata: Metadata keys are at most 64 characters$/,
    ],
    [
      "empty model name",
      ["keys", "create", "--org", "acme", "--name", "x", "--models", "a,,b"],
      /^error: --models: Model names cannot be empty$/,
    ],
    [
      "bad role",
      ["members", "add", "--org", "acme", "--email", "a@example.com", "--role", "boss"],
      /^error: --role: Role must be one of: owner, admin, developer, viewer$/,
    ],
    [
      "no password",
      ["users", "create", "--email", "a@example.com"],
      /^error: --password is required \(or set SWITCHYARD_CLI_PASSWORD\)$/,
    ],
    [
      "too-long org name",
      ["orgs", "create", long(101)],
      /^error: <name>: Name must be at most 100 characters$/,
    ],
    [
      "missing key id",
      ["keys", "revoke", "--org", "acme"],
      /^error: missing required argument 'id'$/,
    ],
    ["unknown command", ["keys", "frobnicate"], /^error: unknown command 'frobnicate'/],
  ];

  it.concurrent.each(cases)("%s → exit 2", async (_name, args, message, env) => {
    const result = await cli(emptyDir, args, env ?? {});
    expect(result.code).toBe(2);
    expect(errorLine(result)).toMatch(message);
    expect(result.stdout).toBe("");
  });

  afterAll(() => {
    // Validation happens before the database: the data dir is still empty.
    expect(readdirSync(emptyDir)).toEqual([]);
  });
});

describe(
  "CLI while a server process holds the embedded database (socket)",
  { timeout: 240_000 },
  () => {
    const dataDir = freshDataDir("cli-socket");
    let host: ChildProcessWithoutNullStreams;
    let hostOutput = "";
    let hostExit: Promise<number | null>;

    beforeAll(async () => {
      host = spawn(process.execPath, [TSX, "tests/cli/db-socket-host.ts", dataDir], {
        env: { ...baseEnv(), SWITCHYARD_DATA_DIR: dataDir },
        stdio: ["pipe", "pipe", "pipe"],
      });
      hostExit = new Promise((resolve) => host.once("exit", (code) => resolve(code)));
      host.stderr.on("data", (d: Buffer) => (hostOutput += d.toString()));
      await new Promise<void>((resolve, reject) => {
        host.stdout.on("data", (d: Buffer) => {
          hostOutput += d.toString();
          if (/READY \d+/.test(hostOutput)) resolve();
        });
        void hostExit.then((code) =>
          reject(new Error(`socket host exited (${code}): ${hostOutput}`)),
        );
      });
    }, 180_000);

    afterAll(async () => {
      host.kill("SIGTERM");
      expect(await hostExit).toBe(0);
      expect(hostOutput).toMatch(/STOPPED after [1-9]\d* owner transactions/);
      expect(existsSync(dbSocketFile(dataDir))).toBe(false);
    });

    it("connects to the server's socket instead of opening PGlite", async () => {
      expect(existsSync(dbSocketFile(dataDir))).toBe(true);
      const result = await cli(dataDir, ["orgs", "list"]);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(
        /Using the running server's database \(pid \d+, 127\.0\.0\.1:\d+\)/,
      );
      expect(result.stderr).not.toContain("Opening embedded database");
      expect(existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);
    });

    happyPath(() => dataDir, { full: true });

    it("db migrate runs through the socket (vector available from the server's PGlite)", async () => {
      const result = await cliJson<{ database: string; vectorAvailable: boolean }>(dataDir, [
        "db",
        "migrate",
      ]);
      expect(result).toMatchObject({ database: "socket", vectorAvailable: true });
    });
  },
);

describe("CLI with DATABASE_URL (real PostgreSQL)", { timeout: 120_000 }, () => {
  const dataDir = freshDataDir("cli-postgres");
  let url = "";
  beforeAll(async () => {
    const pg = await usePostgres(inject("postgresRunDir"));
    url = await pg.createDatabase("cli");
  });

  it("db migrate reports vector features unavailable", async () => {
    const result = await cli(dataDir, ["db", "migrate"], { DATABASE_URL: url });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("Connecting to postgres://postgres@127.0.0.1");
    expect(result.stdout).toMatch(/Vector features: unavailable \(.*vector.*\)/);
  });

  happyPath(() => dataDir, { env: () => ({ DATABASE_URL: url }), full: false });

  it("never touched the embedded database", () => {
    expect(existsSync(path.join(dataDir, "pglite"))).toBe(false);
  });
});
