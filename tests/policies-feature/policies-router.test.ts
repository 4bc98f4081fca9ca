import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db";
import * as schema from "~/server/db/schema";
import { createGuardrailDirectory, OrgPolicyCache } from "~/server/guardrails/guardrail-directory";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture } from "../helpers/factories";

/** The policies router over PGlite: versions, audit, validation, RBAC, tenancy, apply, the test box. */

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;
const db = () => handle.db;

beforeAll(async () => {
  handle = await createTestDatabase();
  a = await makeOrg(handle.db, "Policies A");
  b = await makeOrg(handle.db, "Policies B");
});
afterAll(async () => {
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

const POLICY = `id: pii
name: Redact PII
priority: 10
rules:
  - id: emails
    detectors: [pii.email]
    action: redact
`;

describe("policies router", () => {
  it("creates, versions, audits and lists policies by priority", async () => {
    const orgSlug = a.org.slug;
    const admin = as(a, "admin");
    const created = await admin.policies.save({ orgSlug, document: POLICY });
    expect(created).toMatchObject({ change: "created", policy: { policyId: "pii", version: 1, priority: 10, enabled: true } });
    await admin.policies.save({
      orgSlug,
      document: `{"id":"flag-injection","name":"Flag injection","priority":5,"rules":[{"id":"inj","detectors":["injection"],"action":"flag"}]}`,
    });
    const updated = await admin.policies.save({ orgSlug, document: POLICY.replace("priority: 10", "priority: 1"), expectedVersion: 1 });
    expect(updated).toMatchObject({ change: "updated", policy: { version: 2, priority: 1 } });
    const unchanged = await admin.policies.save({ orgSlug, document: POLICY.replace("priority: 10", "priority: 1") });
    expect(unchanged.change).toBe("unchanged");

    const list = await as(a, "viewer").policies.list({ orgSlug });
    expect(list.org.map((p) => p.policyId)).toEqual(["pii", "flag-injection"]);

    const stale = await failure(admin.policies.save({ orgSlug, document: POLICY, expectedVersion: 1 }));
    expect(stale.code).toBe("CONFLICT");

    await admin.policies.setEnabled({ orgSlug, policyId: "pii", enabled: false });
    const versions = await admin.policies.versions({ orgSlug, policyId: "pii" });
    expect(versions.map((v) => [v.version, v.change, v.definition?.enabled])).toEqual([
      [3, "updated", false],
      [2, "updated", true],
      [1, "created", true],
    ]);
    expect(versions[0]!.actorLabel).toBe(a.users.admin.email);

    const audit = await db()
      .select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.orgId, a.org.id), eq(schema.auditEvents.targetId, "pii")));
    expect(audit.map((e) => e.action).sort()).toEqual(["policy.create", "policy.update", "policy.update"]);

    // The gateway's directory sees enabled policies only.
    const directory = createGuardrailDirectory(db(), { cache: new OrgPolicyCache({ ttlMs: 0 }), instancePolicies: () => [] });
    expect((await directory.forOrg(a.org.id)).map((p) => p.id)).toEqual(["flag-injection"]);

    await admin.policies.delete({ orgSlug, policyId: "flag-injection" });
    expect((await admin.policies.list({ orgSlug })).org.map((p) => p.policyId)).toEqual(["pii"]);
    const history = await admin.policies.versions({ orgSlug, policyId: "flag-injection" });
    expect(history[0]).toMatchObject({ change: "deleted", definition: null });
  });

  it("refuses invalid policies with every problem, changing nothing", async () => {
    const orgSlug = a.org.slug;
    const err = await failure(
      as(a, "owner").policies.save({
        orgSlug,
        document: `id: Bad Id\nname: x\nrules:\n  - id: r\n    detectors: [pii.nope]\n    regex: [{ label: X, pattern: "(a+)+$" }]\n    action: flag\n`,
      }),
    );
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toMatch(/id: lower-case/);
    expect(err.message).toMatch(/unknown detector 'pii.nope'/);
    expect(err.message).toMatch(/rules\[0\]\.regex\[0\]\.pattern/);
    const yamlErr = await failure(as(a, "owner").policies.save({ orgSlug, document: "id: [unclosed" }));
    expect(yamlErr.message).toMatch(/line 1/);
  });

  it("applies a document all or nothing", async () => {
    const orgSlug = b.org.slug;
    const doc = `policies:
  - id: one
    name: One
    rules: [{ id: r, detectors: [secret], action: block }]
  - id: two
    name: Two
    stage: output
    rules: [{ id: r, keywords: [{ label: WORD, words: [bluebird] }], action: mask }]
`;
    expect(await as(b, "admin").policies.applyDocument({ orgSlug, document: doc })).toEqual({ created: ["one", "two"], updated: [], unchanged: [] });
    expect(await as(b, "admin").policies.applyDocument({ orgSlug, document: doc.replace("name: Two", "name: Two!") })).toEqual({
      created: [],
      updated: ["two"],
      unchanged: ["one"],
    });
    const bad = await failure(as(b, "admin").policies.applyDocument({ orgSlug, document: `${doc}  - id: one\n    name: dup\n    rules: [{ id: r, maxChars: 5, action: flag }]\n` }));
    expect(bad.message).toMatch(/duplicate policy id 'one'/);
    expect((await as(b, "viewer").policies.list({ orgSlug })).org).toHaveLength(2);
  });

  it("runs the test box: every hit and the request that would be sent", async () => {
    const orgSlug = b.org.slug;
    await as(b, "admin").policies.save({ orgSlug, document: POLICY });
    const result = await as(b, "viewer").policies.test({ orgSlug, prompt: "mail jane@example.com please" });
    expect(result.outcome).toBe("rewritten");
    expect(result.hits).toEqual([expect.objectContaining({ policy: "pii", label: "EMAIL", action: "redact", text: "jane@example.com" })]);
    expect(result.sentRequest).toContain("mail [EMAIL_1] please");
    expect(result.outputPolicies).toEqual(["two"]);
    const blocked = await as(b, "viewer").policies.test({ orgSlug, prompt: "key AKIAIOSFODNN7ABCDEFG" });
    expect(blocked).toMatchObject({ outcome: "blocked", sentRequest: null, blockedBy: { policy: "one" } });
  });

  it("keeps viewers and developers read-only and orgs apart", async () => {
    const orgSlug = a.org.slug;
    for (const role of ["viewer", "developer"] as const) {
      expect((await failure(as(a, role).policies.save({ orgSlug, document: POLICY }))).code).toBe("FORBIDDEN");
      expect((await failure(as(a, role).policies.delete({ orgSlug, policyId: "pii" }))).code).toBe("FORBIDDEN");
    }
    // Org B's admin cannot reach org A's policies by slug, nor by id through its own org.
    expect((await failure(as(b, "admin").policies.list({ orgSlug }))).code).toMatch(/FORBIDDEN|NOT_FOUND/);
    const viaOwn = await failure(as(b, "admin").policies.setEnabled({ orgSlug: b.org.slug, policyId: "flag-injection", enabled: true }));
    expect(viaOwn.code).toBe("NOT_FOUND");
    expect((await failure(as(b, "admin").policies.delete({ orgSlug: b.org.slug, policyId: "flag-injection" }))).code).toBe("NOT_FOUND");
    expect(await as(b, "admin").policies.versions({ orgSlug: b.org.slug, policyId: "flag-injection" })).toEqual([]);
    // Saving a policy with an id org A uses creates org B's own, leaving A's untouched.
    await as(b, "admin").policies.save({ orgSlug: b.org.slug, document: POLICY.replace("Redact PII", "B's PII") });
    const aPii = (await as(a, "viewer").policies.list({ orgSlug })).org.find((p) => p.policyId === "pii");
    expect(aPii!.name).toBe("Redact PII");
  });

  it("answers an org without policies synchronously with one shared empty list (the hot path)", async () => {
    const c = await makeOrg(db(), "Policies C");
    const directory = createGuardrailDirectory(db(), { cache: new OrgPolicyCache({ ttlMs: 60_000 }), instancePolicies: () => [] });
    const first = await directory.forOrg(c.org.id);
    expect(first).toEqual([]);
    const again = directory.forOrg(c.org.id);
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toBe(first);
    const other = await directory.forOrg(a.org.id);
    expect(directory.forOrg(a.org.id)).toBe(other);
  });
});
