import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isProcessAlive, readDbSocketFile } from "~/server/db/socket-server";
import { freshDataDir, startServer, type ServerProcess } from "./server-process";

// The embedded database runs in its own process under the server: it must never outlive the
// server (or keep the data dir locked), and the server must not go on without it.

const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) if (s.child.exitCode === null) await s.stop("SIGKILL");
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function start(dataDir: string) {
  const server = await startServer({ dataDir, env: { SWITCHYARD_SERVE_CONSOLE: "0" } });
  servers.push(server);
  const dbPid = readDbSocketFile(dataDir)!.pid;
  return { server, dbPid };
}

describe("the embedded database process", () => {
  it("is a child of the server, ends with it on SIGTERM, and the data dir opens again", async () => {
    const dataDir = freshDataDir("embedded-db");
    dirs.push(dataDir);
    const first = await start(dataDir);
    expect(parentOf(first.dbPid)).toBe(first.server.child.pid);
    const ready = await fetch(`${first.server.baseUrl}/readyz`);
    expect(await ready.json()).toMatchObject({ database: "ok" });

    expect(await first.server.stop("SIGTERM")).toBe(0);
    await until(() => !isProcessAlive(first.dbPid));
    // Its address and the open lock are gone with it.
    expect(readDbSocketFile(dataDir)).toBeNull();
    expect(existsSync(path.join(dataDir, "pglite.lock"))).toBe(false);

    const second = await start(dataDir);
    expect(second.dbPid).not.toBe(first.dbPid);
    expect((await fetch(`${second.server.baseUrl}/readyz`)).status).toBe(200);
    await second.server.stop("SIGTERM");
  });

  it("ends when the server is killed outright (SIGKILL)", async () => {
    const dataDir = freshDataDir("embedded-db-kill");
    dirs.push(dataDir);
    const { server, dbPid } = await start(dataDir);
    await server.stop("SIGKILL");
    await until(() => !isProcessAlive(dbPid));
  });

  it("takes the server down with a clear message when it dies (no serving without a database)", async () => {
    const dataDir = freshDataDir("embedded-db-crash");
    dirs.push(dataDir);
    const { server, dbPid } = await start(dataDir);
    process.kill(dbPid, "SIGKILL");
    expect(await server.exited).toBe(1);
    expect(server.output()).toMatch(/embedded database process ended unexpectedly \(SIGKILL\)/);
  });
});
