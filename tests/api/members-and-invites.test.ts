import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db/client";
import * as schema from "~/server/db/schema";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, makeUser } from "../helpers/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

describe("last owner", () => {
  it("cannot leave, be removed or be demoted; with two owners one may go", async () => {
    const f = await makeOrg(handle.db);
    const owner = callerFor(handle.db, f.users.owner);
    await expect(owner.members.leave({ orgSlug: f.org.slug })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(
      owner.members.changeRole({ orgSlug: f.org.slug, memberId: f.memberIds.owner, role: "admin" }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: expect.stringMatching(/at least one owner/) });
    await expect(owner.members.remove({ orgSlug: f.org.slug, memberId: f.memberIds.owner })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    await owner.members.changeRole({ orgSlug: f.org.slug, memberId: f.memberIds.admin, role: "owner" });
    await owner.members.changeRole({ orgSlug: f.org.slug, memberId: f.memberIds.owner, role: "admin" });
    const roles = (await owner.members.list({ orgSlug: f.org.slug })).filter((m) => m.role === "owner");
    expect(roles.map((m) => m.userId)).toEqual([f.users.admin.id]);
  });

  it("two owners demoting each other concurrently leave one owner", async () => {
    const f = await makeOrg(handle.db);
    const owner = callerFor(handle.db, f.users.owner);
    await owner.members.changeRole({ orgSlug: f.org.slug, memberId: f.memberIds.admin, role: "owner" });
    const second = callerFor(handle.db, f.users.admin);
    const results = await Promise.allSettled([
      owner.members.changeRole({ orgSlug: f.org.slug, memberId: f.memberIds.admin, role: "viewer" }),
      second.members.changeRole({ orgSlug: f.org.slug, memberId: f.memberIds.owner, role: "viewer" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
    const owners = await handle.db.select().from(schema.memberships).where(eq(schema.memberships.orgId, f.org.id));
    expect(owners.filter((m) => m.role === "owner").length).toBe(1);
  });

  it("admins cannot make owners, demote owners, or remove owners", async () => {
    const f = await makeOrg(handle.db);
    const admin = callerFor(handle.db, f.users.admin);
    const s = f.org.slug;
    await expect(admin.members.changeRole({ orgSlug: s, memberId: f.target.memberId, role: "owner" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.members.changeRole({ orgSlug: s, memberId: f.memberIds.owner, role: "viewer" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.members.remove({ orgSlug: s, memberId: f.memberIds.owner })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.invites.create({ orgSlug: s, email: "boss@example.test", role: "owner" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await admin.invites.create({ orgSlug: s, email: "helper@example.test", role: "admin" });
  });
});

describe("invites", () => {
  it("single use, email-bound, and show up as accepted", async () => {
    const f = await makeOrg(handle.db);
    const owner = callerFor(handle.db, f.users.owner);
    const invitee = await makeUser(handle.db, "joiner@example.test");
    const created = await owner.invites.create({ orgSlug: f.org.slug, email: "Joiner@Example.test", role: "viewer" });
    expect(created.inviteUrl).toMatch(/^http:\/\/localhost:3000\/invite\/[0-9A-Za-z]{32}$/);
    expect(created.emailSent).toBe(false);
    const token = created.inviteUrl.split("/invite/")[1]!;
    const anon = callerFor(handle.db, null);
    expect(await anon.invites.lookup({ token })).toMatchObject({ email: "joiner@example.test", role: "viewer", status: "pending" });

    const joiner = callerFor(handle.db, invitee);
    const results = await Promise.allSettled([joiner.invites.accept({ token }), joiner.invites.accept({ token })]);
    expect(results.filter((r) => r.status === "fulfilled").length).toBe(1);
    expect((await joiner.orgs.get({ orgSlug: f.org.slug })).role).toBe("viewer");
    expect((await anon.invites.lookup({ token }))?.status).toBe("accepted");
    const list = await owner.invites.list({ orgSlug: f.org.slug });
    expect(list.find((i) => i.id === created.id)?.status).toBe("accepted");
  });

  it("expired and revoked invites cannot be accepted", async () => {
    const f = await makeOrg(handle.db);
    const owner = callerFor(handle.db, f.users.owner);
    const late = await makeUser(handle.db, "late@example.test");
    const created = await owner.invites.create({ orgSlug: f.org.slug, email: "late@example.test", role: "viewer" });
    await handle.db.update(schema.invites).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(schema.invites.id, created.id));
    const token = created.inviteUrl.split("/invite/")[1]!;
    await expect(callerFor(handle.db, late).invites.accept({ token })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const again = await owner.invites.create({ orgSlug: f.org.slug, email: "late@example.test", role: "viewer" });
    await owner.invites.revoke({ orgSlug: f.org.slug, inviteId: again.id });
    await expect(
      callerFor(handle.db, late).invites.accept({ token: again.inviteUrl.split("/invite/")[1]! }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(callerFor(handle.db, late).orgs.get({ orgSlug: f.org.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("audit log", () => {
  it("records each mutation with actor, action and target, filterable and paginated", async () => {
    const f = await makeOrg(handle.db);
    const owner = callerFor(handle.db, f.users.owner);
    const s = f.org.slug;
    await owner.orgs.rename({ orgSlug: s, name: "Audited" });
    const key = await owner.apiKeys.create({ orgSlug: s, name: "audited key" });
    await owner.apiKeys.revoke({ orgSlug: s, id: key.apiKey.id });
    const all = await owner.audit.list({ orgSlug: s, limit: 200 });
    const actions = all.items.map((e) => e.action);
    expect(actions.slice(0, 3)).toEqual(["api_key.revoke", "api_key.create", "org.rename"]);
    expect(all.items[2]!.changes).toEqual({ name: { from: f.org.name, to: "Audited" } });
    expect(all.items[0]!.actorLabel).toBe(f.users.owner.email);
    expect(JSON.stringify(all.items)).not.toContain(key.secret);

    const filtered = await owner.audit.list({ orgSlug: s, action: "api_key.create" });
    expect(filtered.items.every((e) => e.action === "api_key.create")).toBe(true);
    expect(filtered.items.length).toBe(2); // fixture key + this one

    const page1 = await owner.audit.list({ orgSlug: s, limit: 2 });
    expect(page1.items.length).toBe(2);
    const page2 = await owner.audit.list({ orgSlug: s, limit: 2, cursor: page1.nextCursor! });
    expect(page2.items[0]!.id).not.toBe(page1.items[1]!.id);
    expect(page2.items[0]!.createdAt.getTime()).toBeLessThanOrEqual(page1.items[1]!.createdAt.getTime());
    expect(await owner.audit.actions({ orgSlug: s })).toContain("org.rename");
    const byActor = await owner.audit.list({ orgSlug: s, actor: "nobody-like-this" });
    expect(byActor.items).toEqual([]);
  });
});
