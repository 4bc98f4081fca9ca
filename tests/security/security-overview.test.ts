import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db";
import { requestLogs } from "~/server/db/schema";
import { getSecurityOverview } from "~/features/security/server/get-security-overview";
import { randomBase62 } from "~/lib/ids";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture } from "../helpers/factories";

// The security view's numbers, from request_logs rows on PGlite: guardrail hits (the
// guardrail_hits column), key-permission refusals and private-upstream refusals.

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;
const NOW = Date.parse("2031-03-10T12:30:00Z");
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000);

type Row = typeof requestLogs.$inferInsert;
function row(orgId: string, at: Date, extra: Partial<Row>): Row {
  return {
    id: `req_${randomBase62(20)}`,
    orgId,
    endpoint: "chat.completions",
    requestedModel: "gpt-4o-mini",
    status: 200,
    latencyMs: 10,
    createdAt: at,
    ...extra,
  };
}

const hit = (action: string, label: string, rule = "no-secrets") => ({
  policy: "pol_1",
  policyName: "Default policy",
  rule,
  detector: "secret.provider-keys",
  label,
  action,
  stage: "input",
  location: "messages[0].content",
  start: 0,
  end: 10,
  confidence: 0.9,
});

beforeAll(async () => {
  handle = await createTestDatabase();
  a = await makeOrg(handle.db, "Sec A");
  b = await makeOrg(handle.db, "Sec B");
  await handle.db.insert(requestLogs).values([
    row(a.org.id, hoursAgo(1), { status: 400, errorCode: "content_blocked", guardrailAction: "block", guardrailHits: [hit("block", "OPENAI_API_KEY")] as never }),
    row(a.org.id, hoursAgo(2), { status: 400, errorCode: "content_blocked", guardrailAction: "block", guardrailHits: [hit("block", "OPENAI_API_KEY")] as never }),
    row(a.org.id, hoursAgo(3), { guardrailAction: "flag", guardrailHits: [hit("flag", "EMAIL", "pii")] as never }),
    row(a.org.id, hoursAgo(1), { status: 403, errorCode: "endpoint_not_allowed" }),
    row(a.org.id, hoursAgo(30), { status: 403, errorCode: "model_not_allowed" }),
    row(a.org.id, hoursAgo(5), {
      status: 502,
      errorCode: "upstream_unavailable",
      errorMessage: "refused to connect to 10.0.0.7: it is not a public address, and this instance does not call private upstreams",
    }),
    row(a.org.id, hoursAgo(2), {}), // ordinary traffic
    row(a.org.id, hoursAgo(2), { status: 500, errorCode: "server_error" }), // an error, not a security event
    row(a.org.id, hoursAgo(24 * 40), { status: 403, errorCode: "endpoint_not_allowed" }), // out of range
    // Org B's events must never show up in A's view.
    row(b.org.id, hoursAgo(1), { status: 403, errorCode: "endpoint_not_allowed" }),
    row(b.org.id, hoursAgo(1), { status: 400, guardrailAction: "block", guardrailHits: [hit("block", "AWS_ACCESS_KEY_ID")] as never }),
  ]);
});
afterAll(async () => {
  await handle.close();
});

describe("getSecurityOverview", () => {
  it("counts blocked, flagged and denied requests of the org over 7 days", async () => {
    const o = await getSecurityOverview(handle.db, { orgId: a.org.id, range: "7d", now: NOW });
    expect(o.bucket).toBe("day");
    expect(o.totals).toEqual({ requests: 8, blocked: 2, flagged: 1, denied: 3 });
    expect(o.series).toHaveLength(7);
    const sum = o.series.reduce(
      (s, b) => ({ blocked: s.blocked + b.blocked, flagged: s.flagged + b.flagged, denied: s.denied + b.denied }),
      { blocked: 0, flagged: 0, denied: 0 },
    );
    expect(sum).toEqual({ blocked: 2, flagged: 1, denied: 3 });
    const today = o.series.at(-1)!;
    expect(today.at.toISOString()).toBe("2031-03-10T00:00:00.000Z");
    expect(today).toMatchObject({ blocked: 2, flagged: 1, denied: 2 });
  });

  it("groups by rule: guardrail rules with their label, refusals by code", async () => {
    const o = await getSecurityOverview(handle.db, { orgId: a.org.id, range: "7d", now: NOW });
    const byName = Object.fromEntries(o.rules.map((r) => [`${r.name}|${r.detail}`, r]));
    expect(byName["Default policy › no-secrets|OPENAI_API_KEY"]).toMatchObject({ count: 2, outcome: "blocked", action: "block" });
    expect(byName["Default policy › pii|EMAIL"]).toMatchObject({ count: 1, outcome: "flagged" });
    expect(o.rules.find((r) => r.name === "endpoint_not_allowed")).toMatchObject({ count: 1, kind: "access" });
    expect(o.rules.find((r) => r.name === "model_not_allowed")).toMatchObject({ count: 1 });
    expect(o.rules.find((r) => r.name === "private_upstream")).toMatchObject({ count: 1, outcome: "denied" });
    expect(o.rules.some((r) => r.detail === "AWS_ACCESS_KEY_ID")).toBe(false); // org B's
    expect(o.recent.map((e) => e.outcome).sort()).toEqual(["blocked", "blocked", "denied", "denied", "denied", "flagged"]);
  });

  it("24 hours: hourly buckets and only what happened in them", async () => {
    const o = await getSecurityOverview(handle.db, { orgId: a.org.id, range: "24h", now: NOW });
    expect(o.bucket).toBe("hour");
    expect(o.series).toHaveLength(24);
    expect(o.totals).toMatchObject({ blocked: 2, flagged: 1, denied: 2 });
  });
});

describe("security.overview (router)", () => {
  it("owners and admins read it; developers and viewers may not", async () => {
    for (const role of ["owner", "admin"] as const) {
      const o = await callerFor(handle.db, a.users[role]).security.overview({ orgSlug: a.org.slug, range: "30d" });
      expect(o.totals.denied).toBeGreaterThanOrEqual(3);
    }
    for (const role of ["developer", "viewer"] as const) {
      await expect(
        callerFor(handle.db, a.users[role]).security.overview({ orgSlug: a.org.slug }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("another org's slug is NOT_FOUND", async () => {
    await expect(
      callerFor(handle.db, a.users.owner).security.overview({ orgSlug: b.org.slug }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
