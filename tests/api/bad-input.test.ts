import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db/client";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, tableCounts, type OrgFixture } from "../helpers/factories";

let handle: DatabaseHandle;
let f: OrgFixture;

beforeAll(async () => {
  handle = await createTestDatabase();
  f = await makeOrg(handle.db);
});
afterAll(async () => {
  await handle.close();
});

const HUGE = "x".repeat(1_000_000);

/** Calls with deliberately wrong shapes: the type system must not stop the test from sending them. */
type Loose = (input: unknown) => Promise<unknown>;
const loose = (fn: unknown) => fn as Loose;

describe("bad input on every tRPC mutation → a clear client error, nothing written", () => {
  const cases: [string, (c: ReturnType<typeof callerFor>) => Loose, unknown[], string][] = [
    ["orgs.create", (c) => loose(c.orgs.create), [{}, { name: 42 }, { name: "" }, { name: HUGE }, { name: "ok", slug: "Not A Slug!" }, { name: "ok", slug: "api" }, null], "BAD_REQUEST"],
    ["orgs.rename", (c) => loose(c.orgs.rename), [{ name: 1 }, { name: "" }, { name: HUGE }, { name: ["a"] }], "BAD_REQUEST"],
    ["orgs.delete", (c) => loose(c.orgs.delete), [{ confirmSlug: "wrong" }, { confirmSlug: 5 }, { confirmSlug: HUGE }], "BAD_REQUEST"],
    ["members.changeRole", (c) => loose(c.members.changeRole), [{ memberId: "x", role: "god" }, { memberId: 1, role: "viewer" }, { role: "viewer" }, { memberId: HUGE, role: "viewer" }], "BAD_REQUEST"],
    ["members.remove", (c) => loose(c.members.remove), [{}, { memberId: null }, { memberId: HUGE }], "BAD_REQUEST"],
    ["invites.create", (c) => loose(c.invites.create), [{ email: "not-an-email", role: "viewer" }, { email: "a@b.co", role: "root" }, { email: `${HUGE}@x.io`, role: "viewer" }, { email: ["a@b.co"], role: "viewer" }], "BAD_REQUEST"],
    ["invites.revoke", (c) => loose(c.invites.revoke), [{}, { inviteId: 3 }, { inviteId: HUGE }], "BAD_REQUEST"],
    ["apiKeys.create", (c) => loose(c.apiKeys.create), [{}, { name: "" }, { name: HUGE }, { name: "k", expiresAt: "yesterday" }, { name: "k", expiresAt: new Date(Date.now() - 1000) }, { name: "k", allowedModels: "gpt-4o" }, { name: "k", allowedModels: [""] }, { name: "k", metadata: { a: 1 } }, { name: "k", metadata: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, "v"])) }], "BAD_REQUEST"],
    ["apiKeys.revoke", (c) => loose(c.apiKeys.revoke), [{}, { id: 7 }, { id: HUGE }], "BAD_REQUEST"],
    ["auth.signUp", (c) => loose(c.auth.signUp), [{}, { email: "a@b.co", password: "short", name: "A" }, { email: "nope", password: "long enough", name: "A" }, { email: "a@b.co", password: HUGE, name: "A" }], "BAD_REQUEST"],
  ];

  for (const [name, pick, inputs, code] of cases) {
    it(`${name} rejects ${inputs.length} malformed inputs with ${code}`, async () => {
      const caller = callerFor(handle.db, f.users.owner);
      const before = await tableCounts(handle.db, f.org.id);
      for (const bad of inputs) {
        const base = name.startsWith("orgs.create") || name.startsWith("auth.") ? {} : { orgSlug: f.org.slug };
        const input = bad && typeof bad === "object" ? { ...base, ...bad } : bad;
        const err = await pick(caller)(input).then(
          () => null,
          (e: { code?: string; message?: string }) => e,
        );
        expect(err, `${name}(${JSON.stringify(bad)?.slice(0, 80)}) should fail`).not.toBeNull();
        expect(err!.code).toBe(code);
        expect(String(err!.message).length).toBeLessThan(2000);
      }
      expect(await tableCounts(handle.db, f.org.id)).toEqual(before);
    });
  }

  it("unknown ids → NOT_FOUND, nothing written", async () => {
    const caller = callerFor(handle.db, f.users.owner);
    const before = await tableCounts(handle.db, f.org.id);
    const slug = f.org.slug;
    for (const call of [
      caller.members.changeRole({ orgSlug: slug, memberId: "mem_doesnotexist", role: "viewer" }),
      caller.members.remove({ orgSlug: slug, memberId: "mem_doesnotexist" }),
      caller.invites.revoke({ orgSlug: slug, inviteId: "inv_nope" }),
      caller.apiKeys.revoke({ orgSlug: slug, id: "key_nope" }),
      caller.orgs.get({ orgSlug: "no-such-org" }),
      caller.invites.accept({ token: "no-such-token" }),
    ]) {
      await expect(call).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await tableCounts(handle.db, f.org.id)).toEqual(before);
  });

  it("an invalid audit cursor is a BAD_REQUEST, not a crash", async () => {
    const caller = callerFor(handle.db, f.users.owner);
    await expect(caller.audit.list({ orgSlug: f.org.slug, cursor: "!!garbage!!" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
