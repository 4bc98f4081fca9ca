import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db/client";
import * as schema from "~/server/db/schema";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, tableCounts, type OrgFixture } from "../helpers/factories";

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;
/** Org B's own provider, with a key nobody in org A may ever see or use. */
const B_PROVIDER_KEY = "sk-org-b-provider-secret-7777";
let bProviderId: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  a = await makeOrg(handle.db, "Org A");
  b = await makeOrg(handle.db, "Org B");
  const bProvider = await callerFor(handle.db, b.users.owner).providers.create({
    orgSlug: b.org.slug,
    name: "b-upstream",
    type: "mock",
    baseUrl: "http://mock.invalid/v1",
    apiKey: B_PROVIDER_KEY,
    models: ["b-model"],
  });
  bProviderId = bProvider.id;
});

const bProviderRow = async () =>
  (await handle.db.select().from(schema.orgProviders).where(eq(schema.orgProviders.id, bProviderId)))[0];
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

describe("a member of org A cannot reach org B", () => {
  it("by B's slug: every router answers NOT_FOUND (existence does not leak)", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    const slug = b.org.slug;
    const calls: Promise<unknown>[] = [
      owner.orgs.get({ orgSlug: slug }),
      owner.orgs.rename({ orgSlug: slug, name: "pwned" }),
      owner.orgs.delete({ orgSlug: slug, confirmSlug: slug }),
      owner.members.list({ orgSlug: slug }),
      owner.members.changeRole({ orgSlug: slug, memberId: b.target.memberId, role: "viewer" }),
      owner.members.remove({ orgSlug: slug, memberId: b.target.memberId }),
      owner.members.leave({ orgSlug: slug }),
      owner.invites.list({ orgSlug: slug }),
      owner.invites.create({ orgSlug: slug, email: "x@example.test", role: "owner" }),
      owner.invites.revoke({ orgSlug: slug, inviteId: b.inviteId }),
      owner.apiKeys.list({ orgSlug: slug }),
      owner.apiKeys.create({ orgSlug: slug, name: "sneaky" }),
      owner.apiKeys.revoke({ orgSlug: slug, id: b.keyId }),
      owner.audit.list({ orgSlug: slug }),
      owner.audit.actions({ orgSlug: slug }),
      owner.providers.list({ orgSlug: slug }),
      owner.providers.create({ orgSlug: slug, name: "sneaky", type: "mock", baseUrl: "http://mock.invalid/v1" }),
      owner.providers.update({ orgSlug: slug, id: bProviderId, priority: 1 }),
      owner.providers.delete({ orgSlug: slug, id: bProviderId }),
      owner.providers.test({ orgSlug: slug, id: bProviderId }),
      owner.providers.discoverModels({ orgSlug: slug, id: bProviderId, apply: "replace" }),
    ];
    const before = await tableCounts(handle.db, b.org.id);
    for (const call of calls) await expectCode(call, "NOT_FOUND");
    expect(await tableCounts(handle.db, b.org.id)).toEqual(before);
  });

  it("by B's ids through A's slug: NOT_FOUND and B is unchanged", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    const slug = a.org.slug;
    const before = await tableCounts(handle.db, b.org.id);
    await expectCode(owner.members.changeRole({ orgSlug: slug, memberId: b.target.memberId, role: "viewer" }), "NOT_FOUND");
    await expectCode(owner.members.remove({ orgSlug: slug, memberId: b.memberIds.owner }), "NOT_FOUND");
    await expectCode(owner.invites.revoke({ orgSlug: slug, inviteId: b.inviteId }), "NOT_FOUND");
    await expectCode(owner.apiKeys.revoke({ orgSlug: slug, id: b.keyId }), "NOT_FOUND");
    expect(await tableCounts(handle.db, b.org.id)).toEqual(before);
    const bKeys = await callerFor(handle.db, b.users.owner).apiKeys.list({ orgSlug: b.org.slug });
    expect(bKeys.every((k) => k.status === "active")).toBe(true);
  });

  it("B's provider id through A's slug: NOT_FOUND for every provider call, B's provider unchanged, its key never out", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    const slug = a.org.slug;
    const rowBefore = await bProviderRow();
    const errors: unknown[] = [];
    const calls: Promise<unknown>[] = [
      owner.providers.update({ orgSlug: slug, id: bProviderId, name: "taken-over", priority: 1 }),
      owner.providers.update({ orgSlug: slug, id: bProviderId, apiKey: null }),
      owner.providers.delete({ orgSlug: slug, id: bProviderId }),
      owner.providers.test({ orgSlug: slug, id: bProviderId }),
      // A draft pointing elsewhere must not borrow B's stored key either.
      owner.providers.test({ orgSlug: slug, id: bProviderId, draft: { type: "mock", baseUrl: "http://mock.invalid/v1" } }),
      owner.providers.discoverModels({ orgSlug: slug, id: bProviderId }),
      owner.providers.discoverModels({ orgSlug: slug, id: bProviderId, apply: "replace" }),
    ];
    for (const call of calls) {
      const err = await call.then(
        () => null,
        (e: unknown) => e as { code?: string },
      );
      errors.push(err);
      expect(err, "call should have been refused").not.toBeNull();
      expect((err as { code?: string }).code).toBe("NOT_FOUND");
    }
    expect(JSON.stringify(errors.map((e) => String((e as Error).message)))).not.toContain(B_PROVIDER_KEY);
    expect(await bProviderRow()).toEqual(rowBefore);
    const aList = await owner.providers.list({ orgSlug: slug });
    expect(aList.org.map((p) => p.id)).not.toContain(bProviderId);
    expect(JSON.stringify(aList)).not.toContain(B_PROVIDER_KEY);
    expect(JSON.stringify(aList)).not.toContain("b-upstream");
  });

  it("lists only return the caller's org", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    const keys = await owner.apiKeys.list({ orgSlug: a.org.slug });
    expect(keys.map((k) => k.id)).toEqual([a.keyId]);
    const members = await owner.members.list({ orgSlug: a.org.slug });
    expect(members.map((m) => m.userId).sort()).toEqual(
      [...Object.values(a.users).map((u) => u.id), a.target.user.id].sort(),
    );
    const invites = await owner.invites.list({ orgSlug: a.org.slug });
    expect(invites.map((i) => i.id)).toEqual([a.inviteId]);
    const audit = await owner.audit.list({ orgSlug: a.org.slug, limit: 200 });
    expect(audit.items.every((e) => e.targetId !== b.keyId && e.targetId !== b.inviteId)).toBe(true);
    const me = await owner.me.get();
    expect(me.orgs.map((o) => o.slug)).toEqual([a.org.slug]);
  });

  it("an invite for org B cannot be accepted by someone it was not sent to", async () => {
    const created = await callerFor(handle.db, b.users.owner).invites.create({
      orgSlug: b.org.slug,
      email: "only-this-person@example.test",
      role: "admin",
    });
    const token = created.inviteUrl.split("/invite/")[1]!;
    await expectCode(callerFor(handle.db, a.users.owner).invites.accept({ token }), "FORBIDDEN");
    const bMembers = await callerFor(handle.db, b.users.owner).members.list({ orgSlug: b.org.slug });
    expect(bMembers.some((m) => m.userId === a.users.owner.id)).toBe(false);
  });
});
