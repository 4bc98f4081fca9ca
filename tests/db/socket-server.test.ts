import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "~/server/db/client";
import {
  acquireDirectOpenLock,
  dbSocketFile,
  dbSocketUrl,
  readDirectOpenLock,
  readLiveDbSocket,
  startDbSocketServer,
  type DbSocketServer,
} from "~/server/db/socket-server";

let handle: DatabaseHandle;
let server: DbSocketServer | undefined;
const clients: postgres.Sql[] = [];

function client(s: DbSocketServer, max = 1) {
  const sql = postgres(dbSocketUrl(s), { max, onnotice: () => {}, connect_timeout: 10 });
  clients.push(sql);
  return sql;
}

const newDataDir = () => mkdtempSync("tests/output/db-socket-");

beforeAll(async () => {
  // Unmigrated on purpose: the first test migrates it through the socket.
  handle = await openDatabase({ kind: "pglite", dataDir: "memory://", migrate: false });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end({ timeout: 1 }).catch(() => {})));
  await server?.stop();
  server = undefined;
});

afterAll(async () => {
  await handle.close();
});

describe("embedded database socket", () => {
  it("records its address (0600) while up and removes it on stop", async () => {
    const dataDir = newDataDir();
    server = await startDbSocketServer(handle, dataDir);
    const file = dbSocketFile(dataDir);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      host: "127.0.0.1",
      port: server.port,
      pid: process.pid,
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readLiveDbSocket(dataDir)).toMatchObject({ port: server.port });
    await server.stop();
    server = undefined;
    expect(existsSync(file)).toBe(false);
  });

  it("runs the drizzle migrations through the socket (advisory lock, pgvector of the owner)", async () => {
    server = await startDbSocketServer(handle, newDataDir());
    const viaSocket = await openDatabase({ kind: "postgres", url: dbSocketUrl(server), max: 1 });
    try {
      expect(viaSocket.vectorAvailable).toBe(true);
      const { rows } = await handle.pglite!.query<{ n: number }>(
        "select count(*)::int as n from information_schema.tables where table_name in ('organizations', 'api_keys', 'prompt_embeddings')",
      );
      expect(rows[0]!.n).toBe(3);
    } finally {
      await viaSocket.close();
    }
  });

  it("keeps socket clients' transactions isolated from the owning process's own queries", async () => {
    const pglite = handle.pglite!;
    await pglite.exec(
      "create table interleave (id serial primary key, who text not null, v int not null)",
    );
    server = await startDbSocketServer(handle, newDataDir());
    const a = client(server, 2);
    const b = client(server, 2);
    const errors: string[] = [];
    let stop = false;
    let ownerOps = 0;
    // The server keeps using its PGlite directly, with queries and transactions of its own.
    const owner = (async () => {
      while (!stop) {
        try {
          const r = await pglite.query<{ n: number }>("select $1::int + 1 as n", [ownerOps]);
          if (r.rows[0]!.n !== ownerOps + 1) errors.push(`owner got ${r.rows[0]!.n}`);
          await pglite.transaction(async (tx) => {
            await tx.query("insert into interleave (who, v) values ('owner', $1)", [ownerOps]);
          });
          ownerOps++;
        } catch (err) {
          errors.push(`owner: ${(err as Error).message}`);
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    const work = async (sql: postgres.Sql, who: string, lane: number) => {
      for (let i = lane; i < 80; i += 2) {
        try {
          const [row] = await sql`select ${i}::int * 2 as n`;
          if (row!.n !== i * 2) errors.push(`${who} got ${row!.n} for ${i}`);
          await sql
            .begin(async (tx) => {
              await tx`insert into interleave (who, v) values (${who}, ${i})`;
              const [c] =
                await tx`select count(*)::int as c from interleave where who = ${who} and v = ${i}`;
              if (c!.c !== 1) errors.push(`${who} sees ${c!.c} own rows`);
              if (i % 4 === 0) throw new Error("roll back");
            })
            .catch((err: Error) => {
              if (err.message !== "roll back") throw err;
            });
        } catch (err) {
          errors.push(`${who}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all([work(a, "a", 0), work(a, "a", 1), work(b, "b", 0), work(b, "b", 1)]);
    stop = true;
    await owner;

    expect(errors).toEqual([]);
    const count = async (where: string) =>
      (
        await pglite.query<{ n: number }>(
          `select count(*)::int as n from interleave where ${where}`,
        )
      ).rows[0]!.n;
    // Rolled-back client transactions left nothing behind (an owner COMMIT in between would have kept them).
    expect(await count("who in ('a', 'b') and v % 4 = 0")).toBe(0);
    expect(await count("who in ('a', 'b')")).toBe(2 * 60);
    expect(ownerOps).toBeGreaterThan(0);
    expect(await count("who = 'owner'")).toBe(ownerOps);
  });

  it("rolls back the transaction of a client that disconnects, and the owner is not blocked", async () => {
    const pglite = handle.pglite!;
    await pglite.exec("create table if not exists dropped (v int)");
    server = await startDbSocketServer(handle, newDataDir());
    const sql = client(server);
    const reserved = await sql.reserve();
    await reserved`begin`;
    await reserved`insert into dropped values (1)`;
    // Owner queries wait while the client is inside its transaction…
    let ownerDone = false;
    const ownerQuery = pglite.query("select count(*)::int as n from dropped").then((r) => {
      ownerDone = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(ownerDone).toBe(false);
    // …and proceed once it is gone, without its row.
    await sql.end({ timeout: 0 });
    const result = await ownerQuery;
    expect(result.rows).toEqual([{ n: 0 }]);
  });

  it("closes the prepared statements of a client that disconnects (one shared backend session)", async () => {
    const pglite = handle.pglite!;
    const prepared = async () =>
      (await pglite.query<{ n: number }>("select count(*)::int as n from pg_prepared_statements"))
        .rows[0]!.n;
    const before = await prepared();
    server = await startDbSocketServer(handle, newDataDir());
    const sql = client(server);
    // postgres.js prepares named statements by default.
    await sql`select ${1}::int as a`;
    await sql`select ${"x"}::text as b`;
    expect(await prepared()).toBeGreaterThanOrEqual(before + 2);
    await sql.end();
    await expect.poll(prepared).toBe(before);
  });

  it("disconnects a client that idles inside a transaction", async () => {
    const pglite = handle.pglite!;
    await pglite.exec("create table if not exists idle_tx (v int)");
    server = await startDbSocketServer(handle, newDataDir(), { idleInTransactionTimeoutMs: 300 });
    const sql = client(server);
    const reserved = await sql.reserve();
    await reserved`begin`;
    await reserved`insert into idle_tx values (1)`;
    const started = Date.now();
    const { rows } = await pglite.query<{ n: number }>("select count(*)::int as n from idle_tx");
    expect(rows).toEqual([{ n: 0 }]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await expect(reserved`commit`).rejects.toThrow();
  });

  it("refuses connections beyond the limit with a Postgres error", async () => {
    server = await startDbSocketServer(handle, newDataDir(), { maxConnections: 2 });
    const a = client(server);
    const b = client(server);
    await a`select 1`;
    await b`select 1`;
    const c = client(server);
    await expect(c`select 1`).rejects.toThrow(/too many connections/);
    await a.end();
    await new Promise((r) => setTimeout(r, 50));
    await expect(client(server)`select 1 as ok`).resolves.toEqual([{ ok: 1 }]);
  });

  it("stops while a client is inside a transaction: rolled back, PGlite still usable", async () => {
    const pglite = handle.pglite!;
    await pglite.exec("create table if not exists stop_tx (v int)");
    const dataDir = newDataDir();
    server = await startDbSocketServer(handle, dataDir);
    const reserved = await client(server).reserve();
    await reserved`begin`;
    await reserved`insert into stop_tx values (1)`;
    await server.stop();
    server = undefined;
    expect(existsSync(dbSocketFile(dataDir))).toBe(false);
    const { rows } = await pglite.query<{ n: number }>("select count(*)::int as n from stop_tx");
    expect(rows).toEqual([{ n: 0 }]);
  });

  it("refuses to start when another live process serves the data dir; ignores a stale file", async () => {
    const dataDir = newDataDir();
    const other = net.createServer().listen(0, "127.0.0.1");
    await new Promise((r) => other.once("listening", r));
    const otherPort = (other.address() as net.AddressInfo).port;
    try {
      writeFileSync(
        dbSocketFile(dataDir),
        JSON.stringify({ host: "127.0.0.1", port: otherPort, pid: process.ppid }),
      );
      await expect(startDbSocketServer(handle, dataDir)).rejects.toThrow(
        /already serves this data directory/,
      );
    } finally {
      other.close();
    }
    // A dead pid: the file is stale and gets replaced.
    writeFileSync(
      dbSocketFile(dataDir),
      JSON.stringify({ host: "127.0.0.1", port: otherPort, pid: 2 ** 22 + 1 }),
    );
    server = await startDbSocketServer(handle, dataDir);
    expect(readLiveDbSocket(dataDir)).toEqual({
      host: "127.0.0.1",
      port: server.port,
      pid: process.pid,
    });
  });

  it("direct-open lock: exclusive, waits for the holder, takes over a dead holder's lock", async () => {
    const dataDir = newDataDir();
    expect(readDirectOpenLock(dataDir)).toBeNull();
    const release = await acquireDirectOpenLock(dataDir);
    expect(readDirectOpenLock(dataDir)).toBe(process.pid);
    const waits: string[] = [];
    let second: (() => void) | undefined;
    const pending = acquireDirectOpenLock(dataDir, (m) => waits.push(m)).then((r) => (second = r));
    await new Promise((r) => setTimeout(r, 250));
    expect(second).toBeUndefined();
    expect(waits).toEqual([expect.stringMatching(/^Waiting for another process \(pid \d+\)/)]);
    release();
    await pending;
    second!();
    expect(readDirectOpenLock(dataDir)).toBeNull();

    writeFileSync(path.join(dataDir, "pglite.lock"), String(2 ** 22 + 3));
    expect(readDirectOpenLock(dataDir)).toBeNull();
    const third = await acquireDirectOpenLock(dataDir);
    expect(readDirectOpenLock(dataDir)).toBe(process.pid);
    third();
  });
});
