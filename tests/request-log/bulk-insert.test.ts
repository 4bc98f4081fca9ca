import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "~/server/db/client";
import { requestLogs } from "~/server/db/schema";
import { createBulkInsert, createCopyInsert, type CopyClient } from "~/server/request-log/bulk-insert";
import { createTestDatabase } from "../helpers/db";
import { makeOrg } from "../helpers/factories";
import { usePostgres } from "../setup/postgres";

// The request log's one-statement batch INSERT (text arrays cast per column), on both drivers.

const insertLogs = createBulkInsert(requestLogs, "id");
const nasty = [
  "NULL",
  "",
  'quote " and \\ backslash',
  "{braces},commas,",
  "unicode ✓ 日本語 🚀",
  "new\nline\ttab",
  "'single'",
];

type Row = typeof requestLogs.$inferInsert;

function row(orgId: string, i: number, overrides: Partial<Row> = {}): Row {
  return {
    id: `bulk_${orgId}_${i}`,
    orgId,
    endpoint: "chat.completions",
    status: 200,
    latencyMs: 10 + i,
    endUser: nasty[i % nasty.length],
    metadata: { note: nasty[(i + 1) % nasty.length]!, n: String(i) },
    stream: i % 2 === 0,
    costMicros: 9_007_199_254_740_993n + BigInt(i),
    promptTokens: i,
    createdAt: new Date(Date.UTC(2030, 0, 1, 0, 0, i)),
    ...overrides,
  };
}

const handles: DatabaseHandle[] = [];
afterAll(async () => {
  await Promise.all(handles.map((h) => h.close()));
});

describe.each([
  ["PGlite", async () => createTestDatabase()],
  [
    "PostgreSQL (postgres.js)",
    async () => {
      const pg = await usePostgres(inject("postgresRunDir"));
      return openDatabase({ kind: "postgres", url: await pg.createDatabase("bulk_insert") });
    },
  ],
])("bulk insert on %s", (_name, open) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await open();
    handles.push(handle);
  });

  it("stores every value exactly, nulls, defaults and awkward text included", async () => {
    const { org } = await makeOrg(handle.db);
    const rows = [
      ...Array.from({ length: nasty.length * 2 }, (_, i) => row(org.id, i)),
      // Nullable columns left out or null; defaulted columns (unpriced, bodies_truncated) omitted.
      { id: `bulk_${org.id}_min`, orgId: org.id, endpoint: "embeddings", status: 500, latencyMs: 0 },
    ];
    await insertLogs.insert(handle.db, rows);
    const stored = await handle.db.select().from(requestLogs).where(eq(requestLogs.orgId, org.id));
    expect(stored).toHaveLength(rows.length);
    const byId = new Map(stored.map((r) => [r.id, r]));
    for (const r of rows.slice(0, -1)) {
      const s = byId.get(r.id)!;
      expect(s.endUser).toBe(r.endUser);
      expect(s.metadata).toEqual(r.metadata);
      expect(s.stream).toBe(r.stream);
      expect(s.costMicros).toBe(r.costMicros);
      expect(s.promptTokens).toBe(r.promptTokens);
      expect(s.latencyMs).toBe(r.latencyMs);
      expect(s.createdAt).toEqual(r.createdAt);
    }
    const min = byId.get(`bulk_${org.id}_min`)!;
    expect(min).toMatchObject({
      endpoint: "embeddings",
      endUser: null,
      metadata: null,
      costMicros: null,
      unpriced: false,
      bodiesTruncated: false,
      stream: false,
    });
    expect(Math.abs(min.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("skips rows whose id exists (a retried batch inserts nothing twice)", async () => {
    const { org } = await makeOrg(handle.db);
    await insertLogs.insert(handle.db, [row(org.id, 1), row(org.id, 2)]);
    await insertLogs.insert(handle.db, [row(org.id, 2, { status: 599 }), row(org.id, 3)]);
    const stored = await handle.db.select().from(requestLogs).where(eq(requestLogs.orgId, org.id));
    expect(stored.map((r) => r.id).sort()).toEqual([1, 2, 3].map((i) => `bulk_${org.id}_${i}`));
    expect(stored.find((r) => r.id.endsWith("_2"))!.status).toBe(200);
  });

  it("writes a 2,000-row batch in one statement", async () => {
    const { org } = await makeOrg(handle.db);
    await insertLogs.insert(
      handle.db,
      Array.from({ length: 2_000 }, (_, i) => row(org.id, i)),
    );
    const stored = await handle.db.select().from(requestLogs).where(eq(requestLogs.orgId, org.id));
    expect(stored).toHaveLength(2_000);
  });
});

describe("COPY insert on PostgreSQL (postgres.js)", () => {
  const copyLogs = createCopyInsert(requestLogs);
  let handle: DatabaseHandle;
  let client: CopyClient;
  beforeAll(async () => {
    const pg = await usePostgres(inject("postgresRunDir"));
    handle = await openDatabase({ kind: "postgres", url: await pg.createDatabase("copy_insert") });
    handles.push(handle);
    client = (handle.db as unknown as { $client: CopyClient }).$client;
  });

  it("stores every value exactly, backslashes, tabs, newlines, nulls and defaults included", async () => {
    const { org } = await makeOrg(handle.db);
    const rows: Row[] = [
      ...Array.from({ length: nasty.length * 2 }, (_, i) =>
        row(org.id, i, { requestBody: `{"a":"${nasty[i % nasty.length]!.replace(/"/g, '\\"')}\\n"}\r\n\\N` }),
      ),
      { id: `bulk_${org.id}_min`, orgId: org.id, endpoint: "embeddings", status: 500, latencyMs: 0 },
    ];
    await copyLogs.insert(client, rows);
    const stored = await handle.db.select().from(requestLogs).where(eq(requestLogs.orgId, org.id));
    expect(stored).toHaveLength(rows.length);
    const byId = new Map(stored.map((r) => [r.id, r]));
    for (const r of rows.slice(0, -1)) {
      const s = byId.get(r.id)!;
      expect(s.endUser).toBe(r.endUser);
      expect(s.requestBody).toBe(r.requestBody);
      expect(s.metadata).toEqual(r.metadata);
      expect(s.stream).toBe(r.stream);
      expect(s.costMicros).toBe(r.costMicros);
      expect(s.createdAt).toEqual(r.createdAt);
    }
    expect(byId.get(`bulk_${org.id}_min`)).toMatchObject({
      endUser: null,
      requestBody: null,
      metadata: null,
      unpriced: false,
      bodiesTruncated: false,
      stream: false,
    });
  });

  it("fails the whole batch on an existing id (the writer then retries it with the INSERT)", async () => {
    const { org } = await makeOrg(handle.db);
    await copyLogs.insert(client, [row(org.id, 1)]);
    await expect(copyLogs.insert(client, [row(org.id, 2), row(org.id, 1)])).rejects.toThrow(/refused the COPY/);
    // The connection is usable afterwards.
    await copyLogs.insert(client, [row(org.id, 3)]);
    const stored = await handle.db.select().from(requestLogs).where(eq(requestLogs.orgId, org.id));
    expect(stored.map((r) => r.id).sort()).toEqual([`bulk_${org.id}_1`, `bulk_${org.id}_3`]);
  });
});
