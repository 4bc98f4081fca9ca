import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db/client";
import { modelPrices, orgSettings, requestLogs } from "~/server/db/schema";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture } from "../helpers/factories";

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;
const bPriceId = "mpr_cross_tenant_b";

beforeAll(async () => {
  handle = await createTestDatabase();
  a = await makeOrg(handle.db, "Tenant A");
  b = await makeOrg(handle.db, "Tenant B");
  const base = {
    endpoint: "chat.completions",
    status: 200,
    latencyMs: 100,
    requestedModel: "gpt-4o-mini",
    servedModel: "gpt-4o-mini",
    createdAt: new Date(),
  };
  await handle.db.insert(requestLogs).values([
    { ...base, id: "req_a_1", orgId: a.org.id, apiKeyId: a.keyId },
    { ...base, id: "req_b_1", orgId: b.org.id, apiKeyId: b.keyId, servedModel: "b-private-model", requestBody: "B secret" },
  ]);
  await handle.db.insert(modelPrices).values({
    id: bPriceId,
    orgId: b.org.id,
    model: "b-private-model",
    inputMicrosPerMTok: 1n,
    outputMicrosPerMTok: 1n,
  });
});
afterAll(async () => {
  await handle.close();
});

async function expectCode(p: Promise<unknown>, code: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e as { code?: string },
  );
  expect(err, "call should have been refused").not.toBeNull();
  expect(err!.code).toBe(code);
}

describe("logs, prices and settings of org B are out of reach for org A", () => {
  it("by B's slug: NOT_FOUND everywhere, nothing changes", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    const slug = b.org.slug;
    const calls: Promise<unknown>[] = [
      owner.logs.list({ orgSlug: slug }),
      owner.logs.get({ orgSlug: slug, id: "req_b_1" }),
      owner.logs.filters({ orgSlug: slug }),
      owner.logs.settings({ orgSlug: slug }),
      owner.logs.updateSettings({ orgSlug: slug, storeBodies: false }),
      owner.modelPrices.list({ orgSlug: slug }),
      owner.modelPrices.set({ orgSlug: slug, model: "x", inputPerMTok: "1", outputPerMTok: "1" }),
      owner.modelPrices.remove({ orgSlug: slug, id: bPriceId }),
    ];
    for (const call of calls) await expectCode(call, "NOT_FOUND");
    expect(await handle.db.select().from(orgSettings).where(eq(orgSettings.orgId, b.org.id))).toEqual([]);
    expect(await handle.db.select().from(modelPrices).where(eq(modelPrices.orgId, b.org.id))).toHaveLength(1);
  });

  it("by B's ids through A's slug: NOT_FOUND, and B's price stays", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    await expectCode(owner.logs.get({ orgSlug: a.org.slug, id: "req_b_1" }), "NOT_FOUND");
    await expectCode(owner.modelPrices.remove({ orgSlug: a.org.slug, id: bPriceId }), "NOT_FOUND");
    expect(
      await handle.db.select().from(modelPrices).where(and(eq(modelPrices.id, bPriceId), eq(modelPrices.orgId, b.org.id))),
    ).toHaveLength(1);
  });

  it("lists only return the caller's org", async () => {
    const viewer = callerFor(handle.db, a.users.viewer);
    const logs = await viewer.logs.list({ orgSlug: a.org.slug, limit: 200 });
    expect(logs.items.map((l) => l.id)).toEqual(["req_a_1"]);
    const filters = await viewer.logs.filters({ orgSlug: a.org.slug });
    expect(filters.keys.map((k) => k.id)).toEqual([a.keyId]);
    expect(filters.models).not.toContain("b-private-model");
    expect(await viewer.modelPrices.list({ orgSlug: a.org.slug })).toEqual([]);
    // Filtering A's logs by B's key or model finds nothing of B's.
    expect((await viewer.logs.list({ orgSlug: a.org.slug, keyId: b.keyId })).items).toEqual([]);
    expect((await viewer.logs.list({ orgSlug: a.org.slug, model: "b-private-model" })).items).toEqual([]);
  });

  it("an outsider (no membership anywhere) and a signed-out caller get nothing", async () => {
    const outsider = callerFor(handle.db, { id: "usr_nobody", email: "nobody@example.test" });
    await expectCode(outsider.logs.list({ orgSlug: a.org.slug }), "NOT_FOUND");
    await expectCode(callerFor(handle.db, null).logs.list({ orgSlug: a.org.slug }), "UNAUTHORIZED");
  });
});
