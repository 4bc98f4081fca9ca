import { mkdtempSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "~/server/db/client";
import { pgliteDir } from "~/server/db";
import { CLI_ACTOR } from "~/server/domain/actor";
import { createOrganization } from "~/features/orgs/server/create-organization";

const journalEntries = (set: "core" | "vector") =>
  (JSON.parse(readFileSync(`drizzle/${set}/meta/_journal.json`, "utf8")) as { entries: unknown[] })
    .entries.length;

let handle: DatabaseHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

async function counts(h: DatabaseHandle) {
  const core = await h.pglite!.query<{ n: number }>(
    "select count(*)::int as n from drizzle.__drizzle_migrations",
  );
  const vector = await h.pglite!.query<{ n: number }>(
    "select count(*)::int as n from drizzle.__drizzle_migrations_vector",
  );
  return { core: core.rows[0]!.n, vector: vector.rows[0]!.n };
}

describe("embedded PGlite", () => {
  it("enables pgvector and applies the vector migration set", async () => {
    handle = await openDatabase({ kind: "pglite", dataDir: "memory://" });
    expect(handle.vectorAvailable).toBe(true);
    expect(handle.vectorUnavailableReason).toBeUndefined();
    expect(await counts(handle)).toEqual({
      core: journalEntries("core"),
      vector: journalEntries("vector"),
    });
    // The vector type really works: a cosine-distance query on the vector table.
    const embedding = `[${Array.from({ length: 384 }, (_, i) => (i === 0 ? 1 : 0)).join(",")}]`;
    await handle.pglite!.query(
      "insert into prompt_embeddings (id, org_id, request_id, model, embedding) values ('e1', 'o', 'r', 'm', $1::vector)",
      [embedding],
    );
    const { rows } = await handle.pglite!.query<{ d: number }>(
      "select embedding <=> $1::vector as d from prompt_embeddings",
      [embedding],
    );
    expect(rows[0]!.d).toBeCloseTo(0);
  });

  it("keeps data and re-applies nothing when the same data dir is reopened", async () => {
    const dataDir = pgliteDir(mkdtempSync("tests/output/pglite-reopen-"));
    handle = await openDatabase({ kind: "pglite", dataDir });
    const org = await createOrganization(handle.db, {
      actor: CLI_ACTOR,
      ownerUserId: null,
      input: { name: "Persisted", slug: "persisted" },
    });
    const first = await counts(handle);
    await handle.close();

    handle = await openDatabase({ kind: "pglite", dataDir });
    expect(handle.vectorAvailable).toBe(true);
    expect(await counts(handle)).toEqual(first);
    const { rows } = await handle.pglite!.query<{ id: string }>(
      "select id from organizations where slug = 'persisted'",
    );
    expect(rows).toEqual([{ id: org.id }]);
    await handle.close();

    // A third open without migrations sees the same schema (nothing depended on re-running them).
    handle = await openDatabase({ kind: "pglite", dataDir, migrate: false });
    expect(await counts(handle)).toEqual(first);
  }, 180_000);
});
