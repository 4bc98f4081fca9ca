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

/** A provider in the fixture's org (type mock: probing it needs no network). */
const providerIdOf = (f: OrgFixture) => `prv_rbac_${f.org.id}`;
async function seedProvider(f: OrgFixture): Promise<string> {
  await db()
    .insert(schema.orgProviders)
    .values({ id: providerIdOf(f), orgId: f.org.id, name: "rbac-provider", type: "mock", baseUrl: "http://mock.invalid/v1", models: ["old-model"] })
    .onConflictDoNothing();
  return providerIdOf(f);
}
const providerRow = async (f: OrgFixture) =>
  (await db().select().from(schema.orgProviders).where(eq(schema.orgProviders.id, providerIdOf(f))))[0];

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
    name: "providers.create",
    run: (c, f) =>
      c.providers.create({ orgSlug: f.org.slug, name: "matrix-provider", type: "openai-compatible", baseUrl: "https://api.example.com/v1", apiKey: "sk-matrix-1234" }),
    took: async (f) =>
      (
        await db()
          .select()
          .from(schema.orgProviders)
          .where(and(eq(schema.orgProviders.orgId, f.org.id), eq(schema.orgProviders.name, "matrix-provider")))
      ).length === 1,
  },
  {
    name: "providers.update",
    run: async (c, f) => c.providers.update({ orgSlug: f.org.slug, id: await seedProvider(f), priority: 7 }),
    took: async (f) => (await providerRow(f))?.priority === 7,
  },
  {
    name: "providers.delete",
    run: async (c, f) => c.providers.delete({ orgSlug: f.org.slug, id: await seedProvider(f) }),
    took: async (f) => (await providerRow(f)) === undefined,
  },
  {
    name: "providers.test",
    run: async (c, f) => c.providers.test({ orgSlug: f.org.slug, id: await seedProvider(f) }),
    took: async (f) => (await providerRow(f))?.lastTestedAt != null,
  },
  {
    name: "providers.discoverModels",
    run: async (c, f) => c.providers.discoverModels({ orgSlug: f.org.slug, id: await seedProvider(f), apply: "replace" }),
    // The mock adapter lists its built-in models besides the configured ones.
    took: async (f) => ((await providerRow(f))?.models ?? []).includes("mock-gpt"),
  },
  {
    name: "logs.updateSettings",
    run: (c, f) => c.logs.updateSettings({ orgSlug: f.org.slug, storeBodies: false }),
    took: async (f) =>
      (await db().select().from(schema.orgSettings).where(eq(schema.orgSettings.orgId, f.org.id)))[0]
        ?.storeBodies === false,
  },
  {
    name: "modelPrices.set",
    run: (c, f) => c.modelPrices.set({ orgSlug: f.org.slug, model: "matrix-model", inputPerMTok: "1", outputPerMTok: "2" }),
    took: async (f) =>
      (await db().select().from(schema.modelPrices).where(eq(schema.modelPrices.orgId, f.org.id))).length === 1,
  },
  {
    name: "modelPrices.remove",
    run: async (c, f) => {
      const id = `mpr_rbac_${f.org.id}`;
      await db()
        .insert(schema.modelPrices)
        .values({ id, orgId: f.org.id, model: "priced", inputMicrosPerMTok: 1n, outputMicrosPerMTok: 1n });
      return c.modelPrices.remove({ orgSlug: f.org.slug, id });
    },
    took: async (f) =>
      (await db().select().from(schema.modelPrices).where(eq(schema.modelPrices.orgId, f.org.id))).length === 0,
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
  "providers.create": ["owner", "admin"],
  "providers.update": ["owner", "admin"],
  "providers.delete": ["owner", "admin"],
  "providers.test": ["owner", "admin"],
  "providers.discoverModels": ["owner", "admin"],
  "logs.updateSettings": ["owner", "admin"],
  "modelPrices.set": ["owner", "admin"],
  "modelPrices.remove": ["owner", "admin"],
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

  it("every role can read members, keys, providers and the audit log; nobody outside can", async () => {
    const f = await makeOrg(db());
    await seedProvider(f);
    for (const role of ROLES) {
      const c = callerFor(db(), f.users[role]);
      expect((await c.members.list({ orgSlug: f.org.slug })).length).toBe(5);
      expect((await c.apiKeys.list({ orgSlug: f.org.slug })).length).toBe(1);
      expect((await c.audit.list({ orgSlug: f.org.slug })).items.length).toBeGreaterThan(0);
      expect((await c.providers.list({ orgSlug: f.org.slug })).org.map((p) => p.id)).toEqual([providerIdOf(f)]);
      const org = await c.orgs.get({ orgSlug: f.org.slug });
      expect(org.role).toBe(role);
    }
    await expect(callerFor(db(), null).apiKeys.list({ orgSlug: f.org.slug })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await expect(callerFor(db(), null).providers.list({ orgSlug: f.org.slug })).rejects.toMatchObject({
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

  it("the provider list never exposes provider API keys, to any role", async () => {
    const f = await makeOrg(db());
    const secret = "sk-provider-secret-abcdefgh-LAST";
    await callerFor(db(), f.users.owner).providers.create({
      orgSlug: f.org.slug,
      name: "secretive",
      type: "openai-compatible",
      baseUrl: "https://api.example.com/v1",
      apiKey: secret,
    });
    for (const role of ROLES) {
      const list = await callerFor(db(), f.users[role]).providers.list({ orgSlug: f.org.slug });
      const json = JSON.stringify(list);
      expect(json).not.toContain(secret);
      expect(json).not.toContain("abcdefgh");
      expect(json).not.toMatch(/apiKeyEncrypted|"v1:/);
      expect(list.org[0]!.apiKeyLast4).toBe("LAST");
    }
  });
});
