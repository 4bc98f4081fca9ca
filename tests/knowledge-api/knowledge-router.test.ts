import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalDriver, type LocalDriver } from "~/jobs/local/local-driver";
import { JOBS } from "~/jobs/registry";
import { setDatabase } from "~/server/db";
import type { DatabaseHandle } from "~/server/db/client";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture, type RoleName } from "../helpers/factories";
import { eventually } from "../sdk/harness";

/**
 * The knowledge console's tRPC router: who may read and change knowledge bases, live progress of
 * an upload to ready, search, chunk preview, and another org's ids.
 */

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;
let driver: LocalDriver;

const base64 = (text: string) => Buffer.from(text).toString("base64");
const HANDBOOK = "# Handbook\n\n## Passwords\n\nTo reset a password open Settings, then Security, and choose Reset password.\n\n## Holidays\n\nThe office closes on public holidays.";

beforeAll(async () => {
  handle = await createTestDatabase();
  // Ingestion runs as a job on the process database: make it this one.
  setDatabase(handle);
  driver = createLocalDriver({ db: handle.db, jobs: () => JOBS, pollIntervalMs: 100 });
  driver.start();
  a = await makeOrg(handle.db);
  b = await makeOrg(handle.db);
}, 180_000);

afterAll(async () => {
  await driver?.stop({ deadlineMs: 5_000 });
  await handle?.close();
});

const as = (f: OrgFixture, role: RoleName) => callerFor(handle.db, f.users[role]);

async function forbidden(call: Promise<unknown>) {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  expect((err as TRPCError).code).toBe("FORBIDDEN");
}

async function notFound(call: Promise<unknown>) {
  await expect(call).rejects.toMatchObject({ code: "NOT_FOUND" });
}

describe("knowledge console router", () => {
  let storeId: string;
  let fileId: string;

  it("creates a store, ingests an upload to ready with progress, previews and searches it", async () => {
    const store = await as(a, "developer").knowledge.createStore({ orgSlug: a.org.slug, name: "Handbook", chunkSize: 150, chunkOverlap: 0 });
    storeId = store.id;
    const added = await as(a, "developer").knowledge.upload({ orgSlug: a.org.slug, storeId, filename: "handbook.md", base64: base64(HANDBOOK) });
    fileId = added.id;
    const ready = await eventually(async () => {
      const docs = await as(a, "viewer").knowledge.documents({ orgSlug: a.org.slug, storeId });
      return docs[0]?.switchyard.status === "completed" ? docs[0] : null;
    });
    expect(ready).toMatchObject({ filename: "handbook.md", bytes: Buffer.byteLength(HANDBOOK) });
    expect(ready.switchyard.progress.done).toBe(ready.switchyard.progress.total);
    const chunks = await as(a, "viewer").knowledge.chunks({ orgSlug: a.org.slug, storeId, fileId });
    expect(chunks.length).toBe(ready.switchyard.chunks);
    expect(chunks.map((c) => c.heading)).toEqual(["Handbook", "Holidays"]);
    const results = await as(a, "viewer").knowledge.search({ orgSlug: a.org.slug, storeId, query: "reset password" });
    expect(results[0]!.content[0]!.text.toLowerCase()).toContain("reset");
    expect(results.some((r) => r.content[0]!.text.includes("Holidays"))).toBe(false);
    const overview = await as(a, "viewer").knowledge.stores({ orgSlug: a.org.slug });
    expect(overview.vectorAvailable).toBe(true);
    expect(overview.stores.map((s) => s.id)).toEqual([storeId]);
  }, 30_000);

  it("reports a bad document as failed with the reason", async () => {
    await as(a, "developer").knowledge.upload({ orgSlug: a.org.slug, storeId, filename: "scan.pdf", base64: base64("<html>login</html>") });
    const failed = await eventually(async () => {
      const docs = await as(a, "viewer").knowledge.documents({ orgSlug: a.org.slug, storeId });
      return docs.find((d) => d.filename === "scan.pdf" && d.switchyard.status === "failed");
    });
    expect(failed.last_error?.message).toMatch(/pdf/i);
  });

  it("lets viewers read but not change knowledge bases", async () => {
    const viewer = as(a, "viewer");
    await forbidden(viewer.knowledge.createStore({ orgSlug: a.org.slug, name: "No", chunkSize: 1000, chunkOverlap: 200 }));
    await forbidden(viewer.knowledge.upload({ orgSlug: a.org.slug, storeId, filename: "x.txt", base64: base64("x") }));
    await forbidden(viewer.knowledge.removeDocument({ orgSlug: a.org.slug, storeId, fileId }));
    await forbidden(viewer.knowledge.deleteStore({ orgSlug: a.org.slug, storeId }));
    expect((await viewer.knowledge.stores({ orgSlug: a.org.slug })).stores).toHaveLength(1);
  });

  it("refuses bad settings with a field message", async () => {
    await expect(
      as(a, "admin").knowledge.createStore({ orgSlug: a.org.slug, name: "Bad", chunkSize: 200, chunkOverlap: 150 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      as(a, "admin").knowledge.createStore({ orgSlug: a.org.slug, name: "Bad", chunkSize: 1000, chunkOverlap: 200, embeddingModel: "nowhere/model" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("nowhere/model") });
  });

  it("treats another org's store and files as missing, even for its owner", async () => {
    const owner = as(b, "owner");
    await notFound(owner.knowledge.documents({ orgSlug: b.org.slug, storeId }));
    await notFound(owner.knowledge.chunks({ orgSlug: b.org.slug, storeId, fileId }));
    await notFound(owner.knowledge.search({ orgSlug: b.org.slug, storeId, query: "password" }));
    await notFound(owner.knowledge.upload({ orgSlug: b.org.slug, storeId, filename: "x.txt", base64: base64("x") }));
    await notFound(owner.knowledge.removeDocument({ orgSlug: b.org.slug, storeId, fileId }));
    await notFound(owner.knowledge.deleteStore({ orgSlug: b.org.slug, storeId }));
    expect((await owner.knowledge.stores({ orgSlug: b.org.slug })).stores).toEqual([]);
    // And a member of org B cannot name org A's slug at all.
    await notFound(owner.knowledge.stores({ orgSlug: a.org.slug }));
    // Org A's store is intact.
    expect((await as(a, "viewer").knowledge.documents({ orgSlug: a.org.slug, storeId })).length).toBe(2);
  });

  it("removes a document and deletes a store", async () => {
    await as(a, "developer").knowledge.removeDocument({ orgSlug: a.org.slug, storeId, fileId });
    expect((await as(a, "viewer").knowledge.documents({ orgSlug: a.org.slug, storeId })).map((d) => d.id)).not.toContain(fileId);
    await as(a, "admin").knowledge.deleteStore({ orgSlug: a.org.slug, storeId });
    expect((await as(a, "viewer").knowledge.stores({ orgSlug: a.org.slug })).stores).toEqual([]);
    await notFound(as(a, "viewer").knowledge.documents({ orgSlug: a.org.slug, storeId }));
  });
});
