import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db/client";
import * as schema from "~/server/db/schema";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, tableCounts, type OrgFixture, type RoleName } from "../helpers/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

type Mutation = {
  name: string;
  run: (caller: ReturnType<typeof callerFor>, f: OrgFixture) => Promise<unknown>;
  /** Proves the mutation took effect (only checked when allowed). */
  took: (f: OrgFixture) => Promise<boolean>;
};

const db = () => handle.db;

const MUTATIONS: Mutation[] = [
  {
    name: "orgs.rename",
    run: (c, f) => c.orgs.rename({ orgSlug: f.org.slug, name: "Renamed" }),
    took: async (f) =>
      (await db().select().from(schema.organizations).where(eq(schema.organizations.id, f.org.id)))[0]
        ?.name === "Renamed",
  },
  {
    name: "orgs.delete",
    run: (c, f) => c.orgs.delete({ orgSlug: f.org.slug, confirmSlug: f.org.slug }),
    took: async (f) =>
      (await db().select().from(schema.organizations).where(eq(schema.organizations.id, f.org.id)))
        .length === 0,
  },
  {
    name: "members.changeRole",
    run: (c, f) => c.members.changeRole({ orgSlug: f.org.slug, memberId: f.target.memberId, role: "viewer" }),
    took: async (f) =>
      (await db().select().from(schema.memberships).where(eq(schema.memberships.id, f.target.memberId)))[0]
        ?.role === "viewer",
  },
  {
    name: "members.remove",
    run: (c, f) => c.members.remove({ orgSlug: f.org.slug, memberId: f.target.memberId }),
    took: async (f) =>
      (await db().select().from(schema.memberships).where(eq(schema.memberships.id, f.target.memberId)))
        .length === 0,
  },
  {
    name: "invites.create",
    run: (c, f) => c.invites.create({ orgSlug: f.org.slug, email: "new-person@example.test", role: "viewer" }),
    took: async (f) =>
      (
        await db()
          .select()
          .from(schema.invites)
          .where(and(eq(schema.invites.orgId, f.org.id), eq(schema.invites.email, "new-person@example.test")))
      ).length === 1,
  },
  {
    name: "invites.revoke",
    run: (c, f) => c.invites.revoke({ orgSlug: f.org.slug, inviteId: f.inviteId }),
    took: async (f) =>
      (await db().select().from(schema.invites).where(eq(schema.invites.id, f.inviteId)))[0]?.revokedAt !==
      null,
  },
  {
    name: "apiKeys.create",
    run: (c, f) => c.apiKeys.create({ orgSlug: f.org.slug, name: "matrix key" }),
    took: async (f) =>
      (
        await db()
          .select()
          .from(schema.apiKeys)
          .where(and(eq(schema.apiKeys.orgId, f.org.id), eq(schema.apiKeys.name, "matrix key")))
      ).length === 1,
  },
  {
    name: "apiKeys.revoke",
    run: (c, f) => c.apiKeys.revoke({ orgSlug: f.org.slug, id: f.keyId }),
    took: async (f) =>
      (await db().select().from(schema.apiKeys).where(eq(schema.apiKeys.id, f.keyId)))[0]?.revokedAt !== null,
  },
  {
    name: "members.leave",
    run: (c, f) => c.members.leave({ orgSlug: f.org.slug }),
    took: async () => true, // checked below per role via membership count
  },
];

// The expected matrix, written out by hand (not derived from the scope table under test).
const ALLOWED: Record<string, RoleName[]> = {
  "orgs.rename": ["owner", "admin"],
  "orgs.delete": ["owner"],
  "members.changeRole": ["owner", "admin"],
  "members.remove": ["owner", "admin"],
  "invites.create": ["owner", "admin"],
  "invites.revoke": ["owner", "admin"],
  "apiKeys.create": ["owner", "admin", "developer"],
  "apiKeys.revoke": ["owner", "admin", "developer"],
  "members.leave": ["owner", "admin", "developer", "viewer"],
};

const ROLES: RoleName[] = ["owner", "admin", "developer", "viewer"];

describe("RBAC matrix: every role × every mutation", () => {
  for (const mutation of MUTATIONS) {
    for (const role of ROLES) {
      const allowed = ALLOWED[mutation.name]!.includes(role);
      it(`${role} ${allowed ? "may" : "may not"} ${mutation.name}`, async () => {
        const f = await makeOrg(db());
        if (mutation.name === "members.leave" && role === "owner") {
          // A second owner, so the leaving owner is not the last one.
          await db().update(schema.memberships).set({ role: "owner" }).where(eq(schema.memberships.id, f.memberIds.admin));
        }
        const before = await tableCounts(db(), f.org.id);
        const call = mutation.run(callerFor(db(), f.users[role]), f);
        if (allowed) {
          await call;
          expect(await mutation.took(f)).toBe(true);
          if (mutation.name === "members.leave") {
            expect((await tableCounts(db(), f.org.id)).members).toBe(before.members - 1);
          }
        } else {
          const err = await call.then(
            () => null,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(TRPCError);
          expect((err as TRPCError).code).toBe("FORBIDDEN");
          expect(await mutation.took(f)).toBe(false);
          expect(await tableCounts(db(), f.org.id)).toEqual(before);
        }
      });
    }
  }

  it("every role can read members, keys and the audit log; nobody outside can", async () => {
    const f = await makeOrg(db());
    for (const role of ROLES) {
      const c = callerFor(db(), f.users[role]);
      expect((await c.members.list({ orgSlug: f.org.slug })).length).toBe(5);
      expect((await c.apiKeys.list({ orgSlug: f.org.slug })).length).toBe(1);
      expect((await c.audit.list({ orgSlug: f.org.slug })).items.length).toBeGreaterThan(0);
      const org = await c.orgs.get({ orgSlug: f.org.slug });
      expect(org.role).toBe(role);
    }
    await expect(callerFor(db(), null).apiKeys.list({ orgSlug: f.org.slug })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it("the key list never exposes hashes or secrets", async () => {
    const f = await makeOrg(db());
    const list = await callerFor(db(), f.users.viewer).apiKeys.list({ orgSlug: f.org.slug });
    const json = JSON.stringify(list);
    expect(json).not.toContain(f.keySecret);
    expect(json).not.toMatch(/"hash"/);
    expect(list[0]!.last4).toBe(f.keySecret.slice(-4));
  });
});
