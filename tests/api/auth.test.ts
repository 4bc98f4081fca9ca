import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db/client";
import * as schema from "~/server/db/schema";
import { checkCredentials } from "~/features/auth/server/check-credentials";
import { signUp } from "~/features/auth/server/sign-up";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg } from "../helpers/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

const throttle = { maxFailures: 3, windowMinutes: 15 };

describe("sign-up", () => {
  it("creates the user with a bcrypt hash and an org they own", async () => {
    const { orgSlug } = await callerFor(handle.db, null).auth.signUp({
      email: "  Founder@Example.test ",
      password: "correct horse battery",
      name: "Founder",
      orgName: "Acme Rockets",
    });
    expect(orgSlug).toBe("acme-rockets");
    const [user] = await handle.db.select().from(schema.users).where(eq(schema.users.email, "founder@example.test"));
    expect(user?.passwordHash).toMatch(/^\$2[aby]\$11\$/);
    const me = await callerFor(handle.db, { id: user!.id, email: user!.email }).me.get();
    expect(me.orgs).toEqual([{ slug: "acme-rockets", name: "Acme Rockets", role: "owner" }]);
  });

  it("refuses a duplicate email (any case) without writing anything", async () => {
    const users = await handle.db.select().from(schema.users);
    await expect(
      callerFor(handle.db, null).auth.signUp({ email: "FOUNDER@example.test", password: "another password", name: "X" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await handle.db.select().from(schema.users)).length).toBe(users.length);
  });

  it("with sign-up disabled only the first user or an invitee may sign up", async () => {
    await expect(
      signUp(handle.db, { allowSignup: false, input: { email: "stranger@example.test", password: "password123", name: "S" } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const f = await makeOrg(handle.db);
    const invite = await callerFor(handle.db, f.users.owner).invites.create({
      orgSlug: f.org.slug,
      email: "invited@example.test",
      role: "developer",
    });
    const token = invite.inviteUrl.split("/invite/")[1]!;
    const result = await signUp(handle.db, {
      allowSignup: false,
      input: { email: "invited@example.test", password: "password123", name: "I", inviteToken: token },
    });
    expect(result.orgSlug).toBe(f.org.slug);
  });
});

describe("sign-in brute-force protection", () => {
  it("locks an email after repeated failures, even for the right password", async () => {
    await callerFor(handle.db, null).auth.signUp({ email: "target@example.test", password: "the right one", name: "T" });
    const ok = await checkCredentials(handle.db, { email: "target@example.test", password: "the right one", ip: "10.0.0.1" }, throttle);
    expect(ok).toMatchObject({ ok: true, user: { email: "target@example.test" } });
    for (let i = 0; i < 3; i++) {
      const bad = await checkCredentials(handle.db, { email: "target@example.test", password: `wrong ${i}`, ip: "10.0.0.2" }, throttle);
      expect(bad).toEqual({ ok: false, reason: "invalid" });
    }
    const locked = await checkCredentials(handle.db, { email: "target@example.test", password: "the right one", ip: "10.0.0.1" }, throttle);
    expect(locked).toEqual({ ok: false, reason: "throttled" });
  });

  it("locks an IP that sprays many emails", async () => {
    for (let i = 0; i < 12; i++) {
      await checkCredentials(handle.db, { email: `spray${i}@example.test`, password: "guess", ip: "10.9.9.9" }, throttle);
    }
    const r = await checkCredentials(handle.db, { email: "fresh@example.test", password: "guess", ip: "10.9.9.9" }, throttle);
    expect(r).toEqual({ ok: false, reason: "throttled" });
  });

  it("unknown email and wrong password look the same", async () => {
    const a = await checkCredentials(handle.db, { email: "ghost@example.test", password: "x", ip: null }, throttle);
    expect(a).toEqual({ ok: false, reason: "invalid" });
  });
});
