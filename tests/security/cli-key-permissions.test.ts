import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freshDataDir } from "../http/server-process";

// `keys create/update --endpoints … --models …` through the real CLI on a fresh embedded database.

const TSX = path.resolve("node_modules/tsx/dist/cli.mjs");
const dataDir = freshDataDir("cli-key-permissions");

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", SWITCHYARD_DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [TSX, "src/cli/index.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

interface KeyJson {
  id: string;
  allowedModels: string[] | null;
  allowedEndpoints: string[] | null;
}

describe("CLI key permissions", () => {
  it("creates a key limited to endpoints and models, changes and lifts the limits, refuses unknown groups", async () => {
    const created = await cli([
      "--json", "keys", "create", "--org", "perm-co", "--create-org", "--name", "embedder",
      "--endpoints", "embeddings, models", "--models", "text-embedding-3-small",
    ]);
    expect(created.code, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout) as KeyJson;
    expect(key.allowedEndpoints).toEqual(["embeddings", "models"]);
    expect(key.allowedModels).toEqual(["text-embedding-3-small"]);

    const updated = await cli(["keys", "update", key.id, "--org", "perm-co", "--endpoints", "chat"]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toContain("endpoints: chat");
    expect(updated.stdout).toContain("models: text-embedding-3-small");

    const lifted = await cli(["--json", "keys", "update", key.id, "--org", "perm-co", "--endpoints", "all", "--models", "all"]);
    expect(lifted.code, lifted.stderr).toBe(0);
    expect((JSON.parse(lifted.stdout) as { apiKey: KeyJson }).apiKey).toMatchObject({
      allowedEndpoints: null,
      allowedModels: null,
    });

    const bad = await cli(["keys", "update", key.id, "--org", "perm-co", "--endpoints", "chat,admin"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--endpoints/);
  }, 300_000);
});
