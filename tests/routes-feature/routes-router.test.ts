import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z, ZodError } from "zod";
import { setDatabase, type DatabaseHandle } from "~/server/db";
import * as schema from "~/server/db/schema";
import { shutdownGateway } from "~/server/gateway";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture } from "../helpers/factories";

/*
 * The routes router over PGlite, as the console calls it: CRUD with versions, validation, RBAC,
 * tenancy, audit, `apply`, and "try it" through the process gateway with the built-in mock provider.
 */

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;
const db = () => handle.db;

beforeAll(async () => {
  handle = await createTestDatabase();
  // The process gateway ("try it", breakers) runs on this database.
  setDatabase(handle);
  a = await makeOrg(handle.db, "Routes A");
  b = await makeOrg(handle.db, "Routes B");
});
afterAll(async () => {
  await shutdownGateway();
  await handle.close();
});

const as = (f: OrgFixture, role: keyof OrgFixture["users"]) => callerFor(db(), f.users[role]);

async function failure(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "the call should have failed").toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

function fieldErrorsOf(err: TRPCError): Record<string, string[] | undefined> {
  expect(err.cause).toBeInstanceOf(ZodError);
  return z.flattenError(err.cause as ZodError).fieldErrors as Record<string, string[] | undefined>;
}

async function auditRows(orgId: string, targetId: string) {
  return db()
    .select()
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.orgId, orgId), eq(schema.auditEvents.targetId, targetId)))
    .orderBy(schema.auditEvents.createdAt);
}

async function routeCount(orgId: string): Promise<number> {
  return (await db().select().from(schema.routes).where(eq(schema.routes.orgId, orgId))).length;
}

describe("routes router: create, list, get, update, delete", () => {
  it("round-trips a route with versions and audits every change with before/after", async () => {
    const owner = as(a, "owner");
    const slug = a.org.slug;
    const created = await owner.routes.create({
      orgSlug: slug,
      definition: {
        name: "smart",
        targets: [{ model: "mock/mock-gpt" }, { model: "mock-embed" }],
      },
    });
    expect(created.route).toMatchObject({
      name: "smart",
      enabled: true,
      version: 1,
      createdBy: a.users.owner.email,
      // Defaults applied by the shared schema.
      definition: { name: "smart", strategy: "fallback" },
    });
    expect(created.warnings).toEqual([]);

    const viewerList = await as(a, "viewer").routes.list({ orgSlug: slug });
    expect(viewerList.org.map((r) => r.name)).toEqual(["smart"]);
    expect(viewerList.models).toEqual(expect.arrayContaining(["mock-gpt", "mock/mock-gpt"]));

    const updated = await owner.routes.update({
      orgSlug: slug,
      id: created.route.id,
      version: 1,
      definition: {
        name: "smart",
        strategy: "weighted",
        targets: [
          { model: "mock/mock-gpt", weight: 3 },
          { model: "mock/mock-embed", weight: 1 },
        ],
      },
    });
    expect(updated).toMatchObject({ changed: true, route: { version: 2 } });
    expect(updated.route.definition.strategy).toBe("weighted");

    // The same definition again: nothing written, no version used up.
    const same = await owner.routes.update({
      orgSlug: slug,
      id: created.route.id,
      version: 2,
      definition: updated.route.definition,
    });
    expect(same).toMatchObject({ changed: false, route: { version: 2 } });

    const disabled = await owner.routes.setEnabled({
      orgSlug: slug,
      id: created.route.id,
      enabled: false,
    });
    expect(disabled).toMatchObject({ enabled: false, version: 3 });

    const detail = await as(a, "viewer").routes.get({ orgSlug: slug, id: created.route.id });
    expect(detail.history.map((h) => [h.action, h.version])).toEqual([
      ["route.disable", 3],
      ["route.update", 2],
      ["route.create", 1],
    ]);
    expect(detail.history[0]!.actor).toBe(a.users.owner.email);

    await owner.routes.delete({ orgSlug: slug, id: created.route.id, version: 3 });
    expect(await routeCount(a.org.id)).toBe(0);

    const audit = await auditRows(a.org.id, created.route.id);
    expect(audit.map((e) => e.action)).toEqual([
      "route.create",
      "route.update",
      "route.disable",
      "route.delete",
    ]);
    const update = audit[1]!.changes as {
      before: { strategy: string };
      after: { strategy: string };
    };
    expect(update.before.strategy).toBe("fallback");
    expect(update.after.strategy).toBe("weighted");
    expect(audit[1]!.actorLabel).toBe(a.users.owner.email);
    expect(audit[3]!.changes).toMatchObject({ version: 3, after: null, before: { name: "smart" } });
  });

  it("refuses invalid routes as BAD_REQUEST with a message per field, writing nothing", async () => {
    const err = await failure(
      as(a, "owner").routes.create({
        orgSlug: a.org.slug,
        definition: {
          name: "openai/gpt-4o",
          strategy: "random",
          targets: [{ model: "mock/mock-gpt", weight: -1 }],
          surprise: true,
        },
      }),
    );
    expect(err.code).toBe("BAD_REQUEST");
    const fields = fieldErrorsOf(err);
    expect(fields.name?.[0]).toMatch(/no '\/'/);
    expect(fields.strategy?.[0]).toMatch(/fallback/);
    expect(fields["targets.0.weight"]?.[0]).toMatch(/>0|positive|greater/i);
    // A problem of the route as a whole.
    expect(fields.definition).toEqual(['Unknown field "surprise"']);

    const empty = await failure(
      as(a, "owner").routes.create({ orgSlug: a.org.slug, definition: { name: "x", targets: [] } }),
    );
    expect(fieldErrorsOf(empty)["targets"]?.[0]).toBeTruthy();
    expect(await routeCount(a.org.id)).toBe(0);
  });

  it("a stale version is a CONFLICT and the newer change stays", async () => {
    const owner = as(a, "owner");
    const { route } = await owner.routes.create({
      orgSlug: a.org.slug,
      definition: { name: "stale", targets: [{ model: "mock/mock-gpt" }] },
    });
    await as(a, "admin").routes.update({
      orgSlug: a.org.slug,
      id: route.id,
      version: 1,
      definition: { name: "stale", targets: [{ model: "mock/mock-embed" }] },
    });
    const err = await failure(
      owner.routes.update({
        orgSlug: a.org.slug,
        id: route.id,
        version: 1,
        definition: { name: "stale", targets: [{ model: "mock/mock-gpt" }, { model: "mock-gpt" }] },
      }),
    );
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toMatch(/version 2/);
    const [row] = await db().select().from(schema.routes).where(eq(schema.routes.id, route.id));
    expect(row!.definition.targets).toEqual([{ model: "mock/mock-embed" }]);
    expect(row!.version).toBe(2);
    await expect(
      owner.routes.delete({ orgSlug: a.org.slug, id: route.id, version: 1 }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await owner.routes.delete({ orgSlug: a.org.slug, name: "stale" });
  });

  it("a second route of the same name is a CONFLICT; renaming onto a taken name too", async () => {
    const owner = as(a, "owner");
    const first = await owner.routes.create({
      orgSlug: a.org.slug,
      definition: { name: "dup", targets: [{ model: "mock/mock-gpt" }] },
    });
    await expect(
      owner.routes.create({
        orgSlug: a.org.slug,
        definition: { name: "dup", targets: [{ model: "mock/mock-gpt" }] },
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    const second = await owner.routes.create({
      orgSlug: a.org.slug,
      definition: { name: "dup-2", targets: [{ model: "mock/mock-gpt" }] },
    });
    await expect(
      owner.routes.update({
        orgSlug: a.org.slug,
        id: second.route.id,
        version: 1,
        definition: { name: "dup", targets: [{ model: "mock/mock-gpt" }] },
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    // Another org may use the name.
    await as(b, "owner").routes.create({
      orgSlug: b.org.slug,
      definition: { name: "dup", targets: [{ model: "mock/mock-gpt" }] },
    });
    for (const id of [first.route.id, second.route.id]) {
      await owner.routes.delete({ orgSlug: a.org.slug, id });
    }
  });

  it("warns when a name hides a reachable model or a target is unreachable (and saves anyway)", async () => {
    const { route, warnings } = await as(a, "owner").routes.create({
      orgSlug: a.org.slug,
      definition: {
        name: "mock-gpt",
        targets: [{ model: "mock/mock-gpt" }, { model: "nowhere/x" }],
      },
    });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/"mock-gpt" is also a model .* mock\/mock-gpt/);
    expect(warnings[1]).toMatch(/No provider .* "nowhere\/x"/);
    await as(a, "owner").routes.delete({ orgSlug: a.org.slug, id: route.id });
  });
});

describe("routes router: access", () => {
  it("viewers and developers read; only owners and admins write (FORBIDDEN, nothing written)", async () => {
    const { route } = await as(a, "admin").routes.create({
      orgSlug: a.org.slug,
      definition: { name: "guarded", targets: [{ model: "mock/mock-gpt" }] },
    });
    for (const role of ["viewer", "developer"] as const) {
      const c = as(a, role);
      const slug = a.org.slug;
      expect((await c.routes.list({ orgSlug: slug })).org.map((r) => r.name)).toContain("guarded");
      await c.routes.get({ orgSlug: slug, id: route.id });
      await c.routes.breakers({ orgSlug: slug });
      const writes: Promise<unknown>[] = [
        c.routes.create({ orgSlug: slug, definition: { name: "nope", targets: [{ model: "m" }] } }),
        c.routes.update({
          orgSlug: slug,
          id: route.id,
          version: 1,
          definition: { name: "guarded", targets: [{ model: "m" }] },
        }),
        c.routes.setEnabled({ orgSlug: slug, id: route.id, enabled: false }),
        c.routes.delete({ orgSlug: slug, id: route.id }),
        c.routes.applyDocument({
          orgSlug: slug,
          document: "routes:\n  - name: nope\n    targets: [{model: m}]\n",
        }),
        c.routes.try({ orgSlug: slug, name: "guarded", prompt: "hi" }),
      ];
      for (const call of writes) expect((await failure(call)).code).toBe("FORBIDDEN");
    }
    const [row] = await db().select().from(schema.routes).where(eq(schema.routes.id, route.id));
    expect(row).toMatchObject({ version: 1, enabled: true });
    expect(await auditRows(a.org.id, route.id)).toHaveLength(1);
    await as(a, "owner").routes.delete({ orgSlug: a.org.slug, id: route.id });
  });

  it("another org's route ids are NOT_FOUND, and that route is untouched", async () => {
    const { route } = await as(b, "owner").routes.create({
      orgSlug: b.org.slug,
      definition: { name: "b-only", targets: [{ model: "mock/mock-gpt" }] },
    });
    const owner = as(a, "owner");
    const slug = a.org.slug;
    const calls: Promise<unknown>[] = [
      owner.routes.get({ orgSlug: slug, id: route.id }),
      owner.routes.update({
        orgSlug: slug,
        id: route.id,
        version: 1,
        definition: { name: "b-only", targets: [{ model: "mock/mock-embed" }] },
      }),
      owner.routes.setEnabled({ orgSlug: slug, id: route.id, enabled: false }),
      owner.routes.delete({ orgSlug: slug, id: route.id }),
      owner.routes.delete({ orgSlug: slug, name: "b-only" }),
      owner.routes.try({ orgSlug: slug, name: "b-only", prompt: "hi" }),
      // And B's slug is not A's to use at all.
      owner.routes.list({ orgSlug: b.org.slug }),
    ];
    for (const call of calls) expect((await failure(call)).code).toBe("NOT_FOUND");
    expect((await owner.routes.list({ orgSlug: slug })).org.map((r) => r.name)).not.toContain(
      "b-only",
    );
    const [row] = await db().select().from(schema.routes).where(eq(schema.routes.id, route.id));
    expect(row).toMatchObject({ version: 1, enabled: true, orgId: b.org.id });
  });
});

describe("routes router: apply", () => {
  const doc = (fastModel: string) => `
routes:
  - name: fast
    targets:
      - model: ${fastModel}
  - name: steady
    strategy: weighted
    targets:
      - model: mock/mock-gpt
        weight: 2
      - model: mock/mock-embed
`;

  it("creates, updates and leaves unchanged by name; audits each change", async () => {
    const owner = as(b, "owner");
    const first = await owner.routes.applyDocument({
      orgSlug: b.org.slug,
      document: doc("mock/mock-gpt"),
    });
    expect(first).toMatchObject({ created: ["fast", "steady"], updated: [], unchanged: [] });

    // JSON works too, and a bare list.
    const json = JSON.stringify([
      { name: "fast", targets: [{ model: "mock/mock-embed" }] },
      {
        name: "steady",
        strategy: "weighted",
        targets: [{ model: "mock/mock-gpt", weight: 2 }, { model: "mock/mock-embed" }],
      },
    ]);
    const second = await owner.routes.applyDocument({ orgSlug: b.org.slug, document: json });
    expect(second).toMatchObject({ created: [], updated: ["fast"], unchanged: ["steady"] });

    const rows = await db()
      .select()
      .from(schema.routes)
      .where(eq(schema.routes.orgId, b.org.id))
      .orderBy(schema.routes.name);
    const fast = rows.find((r) => r.name === "fast")!;
    expect(fast).toMatchObject({
      version: 2,
      definition: { targets: [{ model: "mock/mock-embed" }] },
    });
    expect((await auditRows(b.org.id, fast.id)).map((e) => [e.action, e.changes?.via])).toEqual([
      ["route.create", "apply"],
      ["route.update", "apply"],
    ]);
  });

  it("is all or nothing: one invalid route and nothing is written, every problem with its line", async () => {
    const owner = as(b, "owner");
    const before = await db().select().from(schema.routes).where(eq(schema.routes.orgId, b.org.id));
    const bad = `routes:
  - name: brand-new
    targets:
      - model: mock/mock-gpt
  - name: fast
    targets:
      - model: mock/mock-gpt
  - name: bad/name
    strategy: fastest
    targets: []
`;
    const err = await failure(owner.routes.applyDocument({ orgSlug: b.org.slug, document: bad }));
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toMatch(/3 problems; nothing was changed/);
    expect(err.message).toMatch(/line 8:\d+ routes\[2\]\.name: /);
    expect(err.message).toMatch(/line 9:\d+ routes\[2\]\.strategy: /);
    expect(err.message).toMatch(/line 10:\d+ routes\[2\]\.targets: /);
    const after = await db().select().from(schema.routes).where(eq(schema.routes.orgId, b.org.id));
    expect(after).toEqual(before);

    const dup = await failure(
      owner.routes.applyDocument({
        orgSlug: b.org.slug,
        document: "- name: x\n  targets: [{model: m}]\n- name: x\n  targets: [{model: m}]\n",
      }),
    );
    expect(dup.message).toMatch(/line 3:\d+ \[1\]\.name: Duplicate route name "x"/);
    const broken = await failure(
      owner.routes.applyDocument({ orgSlug: b.org.slug, document: "routes: [" }),
    );
    expect(broken.message).toMatch(/1 problem; nothing was changed\.\nline 1:\d+ /);
  });
});

describe("routes router: try it and breakers", () => {
  it("sends a prompt through the real gateway and reports who answered and every attempt", async () => {
    const owner = as(a, "owner");
    const slug = a.org.slug;
    await owner.routes.create({
      orgSlug: slug,
      definition: {
        name: "resilient",
        targets: [{ model: "mock/mock-error-500" }, { model: "mock/mock-gpt" }],
        retry: { attempts: 1 },
        breaker: { failureThreshold: 1, cooldownMs: 600_000 },
      },
    });
    const result = await owner.routes.try({
      orgSlug: slug,
      name: "resilient",
      prompt: "hello route",
    });
    expect(result).toMatchObject({
      route: "resilient",
      status: 200,
      answer: "hello route",
      error: null,
      provider: "mock",
      model: "mock-gpt",
      upstreamCalls: 2,
    });
    expect(result.attempts?.map((t) => [t.model, t.outcome])).toEqual([
      ["mock-error-500", "error"],
      ["mock-gpt", "ok"],
    ]);

    // The failure opened the first target's breaker in the process gateway.
    const breakers = await as(a, "viewer").routes.breakers({ orgSlug: slug });
    const route = breakers.routes.find((r) => r.name === "resilient")!;
    expect(route.targets.map((t) => [t.target, t.state])).toEqual([
      ["mock/mock-error-500", "open"],
      ["mock/mock-gpt", "closed"],
    ]);
    expect(route.targets[0]!.nextProbeAt).toBeGreaterThan(breakers.now);

    // Now the open target is skipped.
    const again = await owner.routes.try({ orgSlug: slug, name: "resilient", prompt: "again" });
    expect(again.attempts?.map((t) => t.outcome)).toEqual(["skipped-open", "ok"]);
    expect(again.upstreamCalls).toBe(1);
  });

  it("reports the gateway's error when no target answers; unknown and disabled routes are refused", async () => {
    // Org B: breakers are per org and target, and A's mock-error-500 breaker is open by now.
    const owner = as(b, "owner");
    const slug = b.org.slug;
    const { route } = await owner.routes.create({
      orgSlug: slug,
      definition: {
        name: "doomed",
        targets: [{ model: "mock/mock-error-500" }],
        retry: { attempts: 1 },
      },
    });
    const failed = await owner.routes.try({ orgSlug: slug, name: "doomed", prompt: "x" });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.answer).toBeNull();
    expect(failed.error?.message).toBeTruthy();
    expect(failed.attempts?.[0]).toMatchObject({ model: "mock-error-500", outcome: "error" });

    await expect(
      owner.routes.try({ orgSlug: slug, name: "no-such", prompt: "x" }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await owner.routes.setEnabled({ orgSlug: slug, id: route.id, enabled: false });
    await expect(
      owner.routes.try({ orgSlug: slug, name: "doomed", prompt: "x" }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
