import { readFileSync } from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "~/server/db/client";
import { CLI_ACTOR } from "~/server/domain/actor";
import { createOrganization } from "~/features/orgs/server/create-organization";
import { createApiKey } from "~/features/api-keys/server/create-api-key";
import { listApiKeys } from "~/features/api-keys/server/list-api-keys";
import { usePostgres, type TestPostgres } from "../setup/postgres";

const journalEntries = (set: "core" | "vector") =>
  (JSON.parse(readFileSync(`drizzle/${set}/meta/_journal.json`, "utf8")) as { entries: unknown[] })
    .entries.length;

let pg: TestPostgres;
const opened: DatabaseHandle[] = [];

async function open(url: string) {
  const handle = await openDatabase({ kind: "postgres", url });
  opened.push(handle);
  return handle;
}

async function raw<T extends postgres.Row>(url: string, query: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(query)) as unknown as T[];
  } finally {
    await sql.end({ timeout: 5 });
  }
}

beforeAll(async () => {
  pg = await usePostgres(inject("postgresRunDir"));
});

afterAll(async () => {
  await Promise.all(opened.map((h) => h.close()));
});

describe("postgres.js on a real PostgreSQL", () => {
  it("is a real PostgreSQL ≥ 15 server", async () => {
    const [row] = await raw<{ server_version_num: string }>(pg.adminUrl, "show server_version_num");
    expect(Number(row!.server_version_num)).toBeGreaterThanOrEqual(150000);
  });

  it("applies the core migrations and reports vector features unavailable with the reason", async () => {
    const url = await pg.createDatabase("core");
    const handle = await open(url);
    expect(handle.kind).toBe("postgres");
    expect(handle.vectorAvailable).toBe(false);
    // Debian's PostgreSQL has no pgvector: the reason is Postgres' own message.
    expect(handle.vectorUnavailableReason).toMatch(
      /extension "vector" is not available|could not open extension control file/,
    );

    const tables = await raw<{ table_name: string }>(
      url,
      "select table_name from information_schema.tables where table_schema = 'public' order by 1",
    );
    const names = tables.map((t) => t.table_name);
    expect(names).toEqual(
      expect.arrayContaining([
        "organizations",
        "memberships",
        "users",
        "api_keys",
        "audit_events",
        "invites",
      ]),
    );
    expect(names).not.toContain("prompt_embeddings");
    const applied = await raw<{ n: number }>(
      url,
      "select count(*)::int as n from drizzle.__drizzle_migrations",
    );
    expect(applied[0]!.n).toBe(journalEntries("core"));

    // Core tables work without pgvector.
    await handle.ping();
    const org = await createOrganization(handle.db, {
      actor: CLI_ACTOR,
      ownerUserId: null,
      input: { name: "Core Works" },
    });
    expect(org.slug).toBe("core-works");
  });

  it("lets several instances migrate one fresh database at the same time (advisory lock)", async () => {
    const url = await pg.createDatabase("race");
    const handles = await Promise.all([open(url), open(url), open(url), open(url)]);
    for (const h of handles) expect(h.vectorAvailable).toBe(false);
    const applied = await raw<{ n: number }>(
      url,
      "select count(*)::int as n from drizzle.__drizzle_migrations",
    );
    expect(applied[0]!.n).toBe(journalEntries("core"));
    // A further start is a no-op.
    await open(url);
    const again = await raw<{ n: number }>(
      url,
      "select count(*)::int as n from drizzle.__drizzle_migrations",
    );
    expect(again[0]!.n).toBe(journalEntries("core"));
  });

  it("runs domain functions: create an org and a key, list it without the hash", async () => {
    const url = await pg.createDatabase("domain");
    const { db } = await open(url);
    const org = await createOrganization(db, {
      actor: CLI_ACTOR,
      ownerUserId: null,
      input: { name: "Acme", slug: "acme" },
    });
    const expiresAt = new Date(Date.now() + 86_400_000);
    const created = await createApiKey(db, {
      orgId: org.id,
      actor: CLI_ACTOR,
      input: { name: "demo", expiresAt, allowedModels: ["gpt-4o-mini"], metadata: { team: "ml" } },
    });
    expect(created.secret).toMatch(/^sy-[0-9A-Za-z]{43}$/);

    const other = await createOrganization(db, {
      actor: CLI_ACTOR,
      ownerUserId: null,
      input: { name: "Other" },
    });
    expect(await listApiKeys(db, { orgId: other.id })).toEqual([]);

    const keys = await listApiKeys(db, { orgId: org.id });
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      id: created.apiKey.id,
      name: "demo",
      last4: created.secret.slice(-4),
      prefix: created.secret.slice(0, 7),
      allowedModels: ["gpt-4o-mini"],
      metadata: { team: "ml" },
      status: "active",
    });
    expect(keys[0]!.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
    expect(JSON.stringify(keys)).not.toContain(created.secret);
    expect(keys[0]).not.toHaveProperty("hash");
  });
});
