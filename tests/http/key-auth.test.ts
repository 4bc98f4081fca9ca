import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  deriveKeyHashSecret,
  displayParts,
  generateApiKey,
  hashApiKey,
} from "~/lib/api-key-secret";
import { newId } from "~/lib/ids";
import {
  freshDataDir,
  startServer,
  TEST_ENCRYPTION_KEY,
  type ServerProcess,
} from "./server-process";

/**
 * API-key authentication over real HTTP against the real server process. Test data goes in
 * through the server's own database socket (PGlite belongs to the server process while it runs),
 * hashed with the encryption key the server was started with.
 */

const hashSecret = deriveKeyHashSecret(TEST_ENCRYPTION_KEY);
const dataDir = freshDataDir("http-key-auth");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Sql = ReturnType<typeof postgres>;

/** Where the running server serves its embedded database: `{ host, port, pid }`. */
const dbSocketFile = (dir: string) => path.join(dir, "db-socket.json");
function readDbSocketFile(dir: string): { host: string; port: number; pid: number } | null {
  return existsSync(dbSocketFile(dir)) ? JSON.parse(readFileSync(dbSocketFile(dir), "utf8")) : null;
}

function connect(): Sql {
  const address = readDbSocketFile(dataDir);
  if (!address) throw new Error(`no database socket recorded in ${dbSocketFile(dataDir)}`);
  return postgres({
    host: address.host,
    port: address.port,
    user: "postgres",
    database: "postgres",
    max: 1,
    prepare: false,
    onnotice: () => {},
  });
}

async function createOrg(sql: Sql): Promise<string> {
  const id = newId("org");
  await sql`insert into organizations (id, slug, name) values (${id}, ${id.toLowerCase().replace("_", "-")}, ${id})`;
  return id;
}

async function createKey(sql: Sql, orgId: string, opts: { expiresAt?: Date } = {}) {
  const secret = generateApiKey();
  const id = newId("key");
  const { prefix, last4 } = displayParts(secret);
  await sql`
    insert into api_keys (id, org_id, name, prefix, last4, hash, created_by_label, expires_at)
    values (${id}, ${orgId}, 'http test', ${prefix}, ${last4}, ${hashApiKey(secret, hashSecret)}, 'test', ${opts.expiresAt ?? null})`;
  return { id, secret };
}

async function lastUsed(sql: Sql, keyId: string): Promise<Date | null> {
  const [row] = await sql<
    { last_used_at: Date | null }[]
  >`select last_used_at from api_keys where id = ${keyId}`;
  return row!.last_used_at;
}

describe("server start-up", () => {
  it("fails fast with a readable message and exit code 1 on invalid configuration", async () => {
    const dir = freshDataDir("http-bad-env");
    const attempt = startServer({ dataDir: dir, env: { PORT: "not-a-port" } });
    await expect(attempt).rejects.toThrow(
      /exited with code 1[\s\S]*Invalid environment configuration:\n {2}- PORT: /,
    );
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("key authentication over HTTP (direct gateway)", () => {
  let server: ServerProcess;
  let sql: Sql;
  let orgA: string;
  let orgB: string;
  let keyA: { id: string; secret: string };
  let keyB: { id: string; secret: string };
  let unusedKey: { id: string; secret: string };

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}${path}`, { headers });

  beforeAll(async () => {
    // API-only instance: these tests are about the gateway, and it keeps Next.js's single
    // dev server per project free for the Next mount test below.
    server = await startServer({ dataDir, env: { SWITCHYARD_SERVE_CONSOLE: "0" } });
    sql = connect();
    orgA = await createOrg(sql);
    orgB = await createOrg(sql);
    keyA = await createKey(sql, orgA);
    keyB = await createKey(sql, orgB);
    unusedKey = await createKey(sql, orgA);
  });

  afterAll(async () => {
    await sql?.end({ timeout: 1 });
    if (server && server.child.exitCode === null) await server.stop("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints the bound port and records the database socket of its embedded database process", () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.output()).toMatch(
      /Switchyard listening on http:\/\/localhost:\d+ \(api: \/v1, console: off\)/,
    );
    // The embedded database runs in a child process of the server, which serves the socket.
    const dbPid = readDbSocketFile(dataDir)?.pid;
    expect(dbPid).toBeGreaterThan(0);
    expect(dbPid).not.toBe(server.child.pid);
    const stat = readFileSync(`/proc/${dbPid}/stat`, "utf8");
    const parentPid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    expect(parentPid).toBe(server.child.pid);
  });

  it("accepts a valid key (Bearer) and lists models", async () => {
    const res = await get("/v1/models", { authorization: `Bearer ${keyA.secret}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ object: "list", data: [] });
  });

  it("accepts the x-api-key header", async () => {
    const res = await get("/v1/models", { "x-api-key": keyA.secret });
    expect(res.status).toBe(200);
  });

  it("accepts a lower-case scheme and extra whitespace", async () => {
    const res = await get("/v1/models", { authorization: `bearer    ${keyA.secret}  ` });
    expect(res.status).toBe(200);
  });

  it("refuses a missing key", async () => {
    const res = await get("/v1/models");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: {
        message: expect.stringMatching(/^No API key provided/),
        type: "authentication_error",
        param: null,
        code: "missing_api_key",
      },
    });
  });

  it("refuses a malformed key without echoing it", async () => {
    const bogus = "sk-live-0123456789abcdefghijklmnopqrstuv";
    const res = await get("/v1/models", { authorization: `Bearer ${bogus}` });
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(text).not.toContain(bogus);
    expect(JSON.parse(text).error).toMatchObject({
      code: "invalid_api_key",
      type: "authentication_error",
    });
  });

  it("refuses an unknown well-formed key, naming only its prefix and last four", async () => {
    const unknown = generateApiKey();
    const res = await get("/v1/models", { authorization: `Bearer ${unknown}` });
    expect(res.status).toBe(401);
    const text = await res.text();
    expect(text).not.toContain(unknown);
    expect(JSON.parse(text).error.message).toContain(
      `Incorrect API key provided: ${unknown.slice(0, 7)}…${unknown.slice(-4)}.`,
    );
  });

  it("refuses an expired key", async () => {
    const expired = await createKey(sql, orgA, { expiresAt: new Date(Date.now() - 60_000) });
    const res = await get("/v1/models", { authorization: `Bearer ${expired.secret}` });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({
      code: "invalid_api_key",
      message: expect.stringMatching(/^This API key expired at \d{4}-\d\d-\d\dT/),
    });
  });

  it("refuses a key that expires while it sits in the cache", async () => {
    const soon = await createKey(sql, orgA, { expiresAt: new Date(Date.now() + 1500) });
    expect((await get("/v1/models", { "x-api-key": soon.secret })).status).toBe(200);
    await sleep(2000); // past expiry, still inside the 4 s cache TTL
    const res = await get("/v1/models", { "x-api-key": soon.secret });
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/^This API key expired at/);
  });

  it("stops accepting a key revoked in the database within 5 s", { timeout: 15_000 }, async () => {
    const victim = await createKey(sql, orgA);
    expect((await get("/v1/models", { authorization: `Bearer ${victim.secret}` })).status).toBe(
      200,
    );
    // Revoked behind this instance's back (as another instance would): only the cache TTL applies.
    await sql`update api_keys set revoked_at = now() where id = ${victim.id}`;
    const revokedAt = Date.now();
    let status = 200;
    let body: { error?: { message: string } } = {};
    while (Date.now() - revokedAt < 6000) {
      const res = await get("/v1/models", { authorization: `Bearer ${victim.secret}` });
      status = res.status;
      body = (await res.json()) as typeof body;
      if (status === 401) break;
      await sleep(100);
    }
    const elapsed = Date.now() - revokedAt;
    expect(status).toBe(401);
    expect(body.error?.message).toBe("This API key has been revoked.");
    expect(elapsed).toBeLessThanOrEqual(5000);
  });

  it("keeps each org's key to itself: revoking one org's key leaves the other's working", async () => {
    const a = await createKey(sql, orgA);
    const b = await createKey(sql, orgB);
    expect((await get("/v1/models", { "x-api-key": a.secret })).status).toBe(200);
    expect((await get("/v1/models", { "x-api-key": b.secret })).status).toBe(200);
    await sql`update api_keys set revoked_at = now() where id = ${a.id}`;
    await sleep(4500); // one cache TTL
    expect((await get("/v1/models", { "x-api-key": a.secret })).status).toBe(401);
    expect((await get("/v1/models", { "x-api-key": b.secret })).status).toBe(200);
    expect((await get("/v1/models", { "x-api-key": keyB.secret })).status).toBe(200);
  }, 15_000);

  it("answers unknown paths and wrong methods in OpenAI's shape", async () => {
    const res = await fetch(`${server.baseUrl}/v1/chat/completionz`, {
      method: "POST",
      body: "{}",
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        message: "Invalid URL (POST /v1/chat/completionz)",
        type: "invalid_request_error",
        param: null,
        code: "unknown_url",
      },
    });
    const wrong = await fetch(`${server.baseUrl}/v1/models`, { method: "PUT", body: "{}" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, HEAD");
    expect((await wrong.json()).error.code).toBe("method_not_allowed");
  });

  it("serves /healthz and /readyz", async () => {
    const health = await get("/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await get("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ok",
      database: "ok",
      vector: "available",
      requestLog: {
        queued: expect.any(Number),
        written: expect.any(Number),
        dropped: 0,
        failedBatches: 0,
      },
      // Counters in process (no REDIS_URL); the cache's counters since start.
      limits: { store: "memory", status: "ok" },
      cache: {
        hits: expect.any(Number),
        misses: expect.any(Number),
        bypasses: expect.any(Number),
        entries: expect.any(Number),
        bytes: expect.any(Number),
      },
    });
  });

  it("echoes x-request-id, or assigns one", async () => {
    const echoed = await get("/v1/models", {
      "x-request-id": "trace-abc.123",
      "x-api-key": keyA.secret,
    });
    expect(echoed.headers.get("x-request-id")).toBe("trace-abc.123");
    const refused = await get("/v1/models", { "x-request-id": "trace-refused" });
    expect(refused.headers.get("x-request-id")).toBe("trace-refused");
    const assigned = await get("/healthz", { "x-request-id": "x".repeat(200) });
    expect(assigned.headers.get("x-request-id")).toMatch(/^req_/);
  });

  it("does not write last-used on the request path", async () => {
    expect(await lastUsed(sql, keyA.id)).toBeNull();
  });

  it("exits 0 on SIGTERM promptly (idle keep-alive connections included), flushing last-used and removing the socket file", async () => {
    await get("/healthz"); // leaves an idle keep-alive connection in fetch's pool
    await sql.end({ timeout: 1 });
    const started = Date.now();
    const code = await server.stop("SIGTERM");
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(existsSync(dbSocketFile(dataDir))).toBe(false);
  });

  describe("after restart, through the Next.js mount (SWITCHYARD_API_VIA_NEXT=1)", () => {
    let next: ServerProcess | null = null;
    let sql2: Sql;

    beforeAll(async () => {
      next = await startServer({
        dataDir,
        // Its own Next dist dir: Next allows one dev server per dist dir, and other suites run one too.
        env: { SWITCHYARD_API_VIA_NEXT: "1", SWITCHYARD_NEXT_DIST_DIR: ".next-test-api" },
        timeoutMs: 120_000,
      });
      sql2 = connect();
    }, 150_000);

    afterAll(async () => {
      await sql2?.end({ timeout: 1 });
      if (next && next.child.exitCode === null) await next.stop("SIGKILL");
    });

    it("wrote last-used at shutdown, only for the keys that were used", async () => {
      expect(await lastUsed(sql2, keyA.id)).toBeInstanceOf(Date);
      expect(await lastUsed(sql2, keyB.id)).toBeInstanceOf(Date);
      expect(await lastUsed(sql2, unusedKey.id)).toBeNull();
    });

    it(
      "serves /v1 through Next's route handler, health still direct",
      { timeout: 90_000 },
      async () => {
        const base = next!.baseUrl;
        // Next adds the security headers of next.config.mjs; the direct listener does not.
        const res = await fetch(`${base}/v1/models`, {
          headers: { authorization: `Bearer ${keyB.secret}`, "x-request-id": "through-next" },
        });
        expect(res.status).toBe(200);
        expect(res.headers.get("x-frame-options")).toBe("DENY");
        expect(res.headers.get("x-request-id")).toBe("through-next");
        expect(await res.json()).toEqual({ object: "list", data: [] });

        const refused = await fetch(`${base}/v1/models`, {
          headers: { "x-api-key": generateApiKey() },
        });
        expect(refused.status).toBe(401);
        expect((await refused.json()).error.code).toBe("invalid_api_key");

        const unknown = await fetch(`${base}/v1/nope`, { method: "POST", body: "{}" });
        expect(unknown.status).toBe(404);
        expect((await unknown.json()).error).toMatchObject({
          code: "unknown_url",
          message: "Invalid URL (POST /v1/nope)",
        });

        const health = await fetch(`${base}/healthz`);
        expect(health.status).toBe(200);
        expect(health.headers.get("x-frame-options")).toBeNull();
      },
    );

    it("exits 0 on SIGTERM", async () => {
      await sql2.end({ timeout: 1 });
      expect(await next!.stop("SIGTERM")).toBe(0);
    }, 20_000);
  });
});
