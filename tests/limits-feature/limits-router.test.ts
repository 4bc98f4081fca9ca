import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z, ZodError } from "zod";
import type { DatabaseHandle } from "~/server/db";
import * as schema from "~/server/db/schema";
import { userActor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { updateLimitSettings } from "~/features/limits/server/update-limit-settings";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture } from "../helpers/factories";

/*
 * The limits router over PGlite, as the console calls it: tiers, org/model limits, key limits,
 * budgets with this period's spend, settings; validation, RBAC, tenancy and audit.
 */

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;
const db = () => handle.db;

beforeAll(async () => {
  handle = await createTestDatabase();
  a = await makeOrg(handle.db, "Limits A");
  b = await makeOrg(handle.db, "Limits B");
});
afterAll(async () => {
  await handle.close();
});

const as = (f: OrgFixture, role: keyof OrgFixture["users"]) => callerFor(db(), f.users[role]);
const owner = () => as(a, "owner");
const slug = () => a.org.slug;

async function failure(p: Promise<unknown>): Promise<TRPCError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "the call should have failed").toBeInstanceOf(TRPCError);
  return err as TRPCError;
}

/** The BAD_REQUEST field errors of a failed call (what the console shows next to fields). */
async function fieldErrors(p: Promise<unknown>): Promise<Record<string, string[] | undefined>> {
  const err = await failure(p);
  expect(err.code).toBe("BAD_REQUEST");
  expect(err.cause).toBeInstanceOf(ZodError);
  return z.flattenError(err.cause as ZodError).fieldErrors as Record<string, string[] | undefined>;
}

async function audit(orgId: string, action: string) {
  return db()
    .select()
    .from(schema.auditEvents)
    .where(and(eq(schema.auditEvents.orgId, orgId), eq(schema.auditEvents.action, action)));
}

async function logCost(
  orgId: string,
  cost: number,
  extra: Partial<typeof schema.requestLogs.$inferInsert> = {},
) {
  await db()
    .insert(schema.requestLogs)
    .values({
      id: `req_${Math.random().toString(36).slice(2)}`,
      orgId,
      endpoint: "chat.completions",
      status: 200,
      latencyMs: 10,
      costMicros: BigInt(cost),
      ...extra,
    });
}

describe("tiers", () => {
  it("create, list with key counts, update, defaults, delete (in use asks, then unassigns)", async () => {
    const tier = await owner().limits.createTier({
      orgSlug: slug(),
      name: "gold",
      rpm: 100,
      tpm: 5000,
    });
    expect(tier).toMatchObject({
      name: "gold",
      limits: { rpm: 100, tpm: 5000, rpd: null, concurrent: null },
      keyCount: 0,
    });
    const dup = await failure(owner().limits.createTier({ orgSlug: slug(), name: "gold" }));
    expect(dup.code).toBe("CONFLICT");
    expect(dup.message).toMatch(/already has a tier named "gold"/);

    const updated = await owner().limits.updateTier({
      orgSlug: slug(),
      id: tier.id,
      name: "platinum",
      rpm: 200,
      concurrent: 4,
    });
    expect(updated.limits).toEqual({ rpm: 200, tpm: null, rpd: null, concurrent: 4 });

    const defaults = await owner().limits.addDefaultTiers({ orgSlug: slug() });
    expect(defaults).toEqual({ created: ["free", "pro", "enterprise"], skipped: [] });
    const again = await owner().limits.addDefaultTiers({ orgSlug: slug() });
    expect(again).toEqual({ created: [], skipped: ["free", "pro", "enterprise"] });

    await owner().limits.setKeyLimits({ orgSlug: slug(), keyId: a.keyId, tierId: tier.id });
    const overview = await as(a, "viewer").limits.overview({ orgSlug: slug() });
    expect(overview.tiers.map((t) => [t.name, t.keyCount])).toEqual([
      ["enterprise", 0],
      ["free", 0],
      ["platinum", 1],
      ["pro", 0],
    ]);
    expect(overview.tiers.find((t) => t.name === "free")!.limits).toEqual({
      rpm: 20,
      tpm: 40_000,
      rpd: 500,
      concurrent: 2,
    });

    const inUse = await failure(owner().limits.deleteTier({ orgSlug: slug(), id: tier.id }));
    expect(inUse.code).toBe("CONFLICT");
    expect(inUse.message).toMatch(/assigned to 1 key; confirm/);
    const deleted = await owner().limits.deleteTier({
      orgSlug: slug(),
      id: tier.id,
      unassignKeys: true,
    });
    expect(deleted.unassignedKeyIds).toEqual([a.keyId]);
    // The key had nothing but the tier: no row is left behind.
    expect(
      await db().select().from(schema.keyLimits).where(eq(schema.keyLimits.keyId, a.keyId)),
    ).toHaveLength(0);
    const key = (await owner().limits.overview({ orgSlug: slug() })).keys.find(
      (k) => k.keyId === a.keyId,
    )!;
    expect(key.tier).toBeNull();
    expect(key.effective).toBeNull();

    const actions = ["rate_limit_tier.create", "rate_limit_tier.update", "rate_limit_tier.delete"];
    for (const action of actions) expect((await audit(a.org.id, action)).length).toBeGreaterThan(0);
    const [del] = await audit(a.org.id, "rate_limit_tier.delete");
    expect(del!.summary).toBe("Deleted rate-limit tier platinum and unassigned 1 key");
    expect(del!.actorLabel).toBe(a.users.owner.email);
  });
});

describe("org-wide and per-model limits", () => {
  it("sets, replaces and deletes; one row per model; empty rows refused", async () => {
    const wide = await owner().limits.setOrgLimit({ orgSlug: slug(), model: null, rpm: 1000 });
    const model = await owner().limits.setOrgLimit({
      orgSlug: slug(),
      model: "gpt-4o",
      tpm: 90_000,
    });
    const replaced = await owner().limits.setOrgLimit({
      orgSlug: slug(),
      model: "gpt-4o",
      tpm: 50_000,
      concurrent: 8,
    });
    expect(replaced.id).toBe(model.id);
    expect(replaced.limits).toEqual({ rpm: null, tpm: 50_000, rpd: null, concurrent: 8 });

    const list = (await owner().limits.overview({ orgSlug: slug() })).orgLimits;
    expect(list.map((l) => [l.model, l.limits.rpm, l.limits.tpm])).toEqual([
      [null, 1000, null],
      ["gpt-4o", null, 50_000],
    ]);

    const empty = await failure(owner().limits.setOrgLimit({ orgSlug: slug(), model: "x" }));
    expect(empty.code).toBe("BAD_REQUEST");
    expect(empty.message).toMatch(/Set at least one limit/);

    await owner().limits.deleteOrgLimit({ orgSlug: slug(), id: wide.id });
    expect((await owner().limits.overview({ orgSlug: slug() })).orgLimits).toHaveLength(1);
    const [set] = await audit(a.org.id, "org_limit.set");
    expect(set!.summary).toMatch(/org-wide limits: rpm 1,000/);
    expect(await audit(a.org.id, "org_limit.delete")).toHaveLength(1);
  });
});

describe("key limits", () => {
  it("own values win over the tier per measure; patches keep the rest; clear removes all", async () => {
    const pro = (await owner().limits.overview({ orgSlug: slug() })).tiers.find(
      (t) => t.name === "pro",
    )!;
    const set = await owner().limits.setKeyLimits({
      orgSlug: slug(),
      keyId: a.keyId,
      tierId: pro.id,
      rpm: 7,
      cacheTtlSeconds: 600,
    });
    expect(set.tier?.name).toBe("pro");
    expect(set.own).toEqual({ rpm: 7, tpm: null, rpd: null, concurrent: null });
    expect(set.effective).toEqual({ rpm: 7, tpm: 2_000_000, rpd: 50_000, concurrent: 20 });
    expect(set.cacheTtlSeconds).toBe(600);

    const patched = await owner().limits.setKeyLimits({
      orgSlug: slug(),
      keyId: a.keyId,
      tpm: 1234,
    });
    expect(patched.effective).toEqual({ rpm: 7, tpm: 1234, rpd: 50_000, concurrent: 20 });
    expect(patched.cacheTtlSeconds).toBe(600);

    const cleared = await owner().limits.clearKeyLimits({ orgSlug: slug(), keyId: a.keyId });
    expect(cleared).toMatchObject({ tier: null, effective: null, cacheTtlSeconds: null });
    const rows = await db()
      .select()
      .from(schema.keyLimits)
      .where(eq(schema.keyLimits.keyId, a.keyId));
    expect(rows).toHaveLength(0);
    // One from the tier test, two here.
    expect((await audit(a.org.id, "api_key.limits_set")).length).toBe(3);
    expect(await audit(a.org.id, "api_key.limits_clear")).toHaveLength(1);
  });
});

describe("budgets", () => {
  it("create org, key and per-user budgets; the view shows this period's spend from the log", async () => {
    // Spend in the current period, one row before it (not counted), and one unpriced row.
    await logCost(a.org.id, 1_500_000, { apiKeyId: a.keyId, endUser: "alice" });
    await logCost(a.org.id, 2_000_000, { endUser: "bob" });
    await logCost(a.org.id, 9_000_000, { createdAt: new Date(Date.UTC(2020, 0, 1)) });
    await db().insert(schema.requestLogs).values({
      id: "req_unpriced",
      orgId: a.org.id,
      endpoint: "chat.completions",
      status: 200,
      latencyMs: 1,
      unpriced: true,
    });
    await logCost(b.org.id, 50_000_000);

    const org = await owner().limits.createBudget({
      orgSlug: slug(),
      scope: "org",
      amountUsd: 4,
      period: "monthly",
      hard: true,
    });
    expect(org).toMatchObject({
      scope: "org",
      amountMicros: 4_000_000,
      hard: true,
      alertThresholds: [50, 80, 100],
      spentMicros: 3_500_000,
    });
    expect(org.resetsAt!.getTime()).toBeGreaterThan(Date.now());

    const key = await owner().limits.createBudget({
      orgSlug: slug(),
      scope: "key",
      keyId: a.keyId,
      amountUsd: 10.5,
      period: "daily",
      hard: false,
      alertThresholds: [90, 25],
    });
    expect(key).toMatchObject({
      keyName: "fixture key",
      spentMicros: 1_500_000,
      alertThresholds: [25, 90],
      hard: false,
    });
    const user = await owner().limits.createBudget({
      orgSlug: slug(),
      scope: "user",
      amountUsd: 1,
      period: "total",
      hard: true,
    });
    // Per end user, over all time: bob spent most; the request without a user counts for nobody.
    expect(user).toMatchObject({ spentMicros: 2_000_000, topEndUser: "bob", resetsAt: null });

    const dup = await failure(
      owner().limits.createBudget({
        orgSlug: slug(),
        scope: "org",
        amountUsd: 1,
        period: "monthly",
        hard: false,
      }),
    );
    expect(dup.code).toBe("CONFLICT");

    const updated = await owner().limits.updateBudget({
      orgSlug: slug(),
      id: org.id,
      amountUsd: 3.25,
      period: "weekly",
      hard: false,
    });
    expect(updated).toMatchObject({ amountMicros: 3_250_000, period: "weekly", hard: false });

    const list = (await as(a, "developer").limits.overview({ orgSlug: slug() })).budgets;
    expect(list.map((x) => x.scope)).toEqual(["org", "key", "user"]);

    await owner().limits.deleteBudget({ orgSlug: slug(), id: user.id });
    expect((await owner().limits.overview({ orgSlug: slug() })).budgets).toHaveLength(2);
    const [created] = await audit(a.org.id, "budget.create");
    expect(created!.summary).toBe("Created a hard monthly org budget of $4.00");
    const [changed] = await audit(a.org.id, "budget.update");
    expect(changed!.summary).toMatch(/amountMicros, period, hard; now \$3.25 weekly, soft/);
    expect(await audit(a.org.id, "budget.delete")).toHaveLength(1);
  });

  it("a per-user budget shows the end user who spent most", async () => {
    const c = await makeOrg(db(), "Limits C");
    await logCost(c.org.id, 100, { endUser: "u1" });
    await logCost(c.org.id, 300, { endUser: "u2" });
    await logCost(c.org.id, 250, { endUser: "u1" });
    const user = await as(c, "admin").limits.createBudget({
      orgSlug: c.org.slug,
      scope: "user",
      amountUsd: 0.001,
      period: "daily",
      hard: true,
    });
    expect(user).toMatchObject({ spentMicros: 350, topEndUser: "u1", amountMicros: 1000 });
  });
});

describe("settings", () => {
  it("partial updates, defaults, audit; webhook URL refused for private addresses", async () => {
    const before = (await owner().limits.overview({ orgSlug: slug() })).settings;
    expect(before).toMatchObject({
      allowUnpricedUnderHardBudget: false,
      budgetAlertWebhookUrl: null,
      cacheDefault: "off",
      cacheTtlSeconds: 3600,
      semanticCache: false,
      semanticThreshold: 0.95,
      updatedAt: null,
    });
    const saved = await owner().limits.updateSettings({
      orgSlug: slug(),
      allowUnpricedUnderHardBudget: true,
      cacheDefault: "on",
      cacheTtlSeconds: 86_400,
      semanticCache: true,
      semanticThreshold: 0.9,
    });
    expect(saved).toMatchObject({ allowUnpricedUnderHardBudget: true, cacheTtlSeconds: 86_400 });
    const [entry] = await audit(a.org.id, "limit_settings.update");
    expect(entry!.changes).toMatchObject({ cacheDefault: { from: "off", to: "on" } });

    const refuse = (url: string) =>
      updateLimitSettings(db(), {
        orgId: a.org.id,
        actor: userActor(a.users.owner),
        input: { budgetAlertWebhookUrl: url },
        env: { allowPrivate: false, resolve: async () => ["10.1.2.3"] },
      }).then(
        () => null,
        (e: unknown) => e as DomainError,
      );
    for (const url of [
      "http://127.0.0.1:9/hook",
      "http://169.254.169.254/latest",
      "http://localhost/x",
      "http://[::1]/",
    ]) {
      const err = await refuse(url);
      expect(err, url).toBeInstanceOf(DomainError);
      expect(err!.code).toBe("BAD_REQUEST");
      expect(err!.message).toMatch(/private, loopback, link-local or metadata/);
    }
    expect((await refuse("https://hooks.example.test/budget"))!.message).toMatch(/10\.1\.2\.3/);
    const bad = await failure(
      owner().limits.updateSettings({ orgSlug: slug(), budgetAlertWebhookUrl: "not a url" }),
    );
    expect(bad.message).toMatch(/not a valid URL/);

    const ok = await updateLimitSettings(db(), {
      orgId: a.org.id,
      actor: userActor(a.users.owner),
      input: { budgetAlertWebhookUrl: "https://hooks.example.test/budget" },
      env: { allowPrivate: false, resolve: async () => ["93.184.216.34"] },
    });
    expect(ok.budgetAlertWebhookUrl).toBe("https://hooks.example.test/budget");
    const cleared = await owner().limits.updateSettings({
      orgSlug: slug(),
      budgetAlertWebhookUrl: "",
    });
    expect(cleared.budgetAlertWebhookUrl).toBeNull();

    const noUrl = await failure(owner().limits.sendTestAlert({ orgSlug: slug() }));
    expect(noUrl.code).toBe("PRECONDITION_FAILED");

    const first = await owner().limits.revealWebhookSecret({ orgSlug: slug() });
    expect(first.secret).toMatch(/^whsec_[\w-]{43}$/);
    const rotated = await owner().limits.rotateWebhookSecret({ orgSlug: slug() });
    expect(rotated.version).toBe(first.version + 1);
    expect(rotated.secret).not.toBe(first.secret);
    expect(await audit(a.org.id, "limit_settings.rotate_webhook_secret")).toHaveLength(1);
  });
});

describe("validation: clear field errors, nothing written", () => {
  it("rate-limit measures: negative, zero, fractional, huge, non-numeric", async () => {
    const cases: [unknown, RegExp][] = [
      [-5, /at least 1/],
      [0, /at least 1/],
      [1.5, /whole number/],
      [2_000_000_000, /at most 1,000,000,000/],
      ["abc", /must be a number/],
      [Number.NaN, /must be a number|whole number/],
    ];
    for (const [value, message] of cases) {
      const errors = await fieldErrors(
        owner().limits.setOrgLimit({ orgSlug: slug(), model: null, rpm: value as number }),
      );
      expect(errors.rpm?.[0], String(value)).toMatch(message);
    }
    const tier = await fieldErrors(
      owner().limits.createTier({
        orgSlug: slug(),
        name: "  ",
        tpm: -1,
        concurrent: "x" as unknown as number,
      }),
    );
    expect(tier.name?.[0]).toMatch(/needs a name/);
    expect(tier.tpm?.[0]).toMatch(/at least 1/);
    expect(tier.concurrent?.[0]).toMatch(/must be a number/);
    const ttl = await fieldErrors(
      owner().limits.setKeyLimits({
        orgSlug: slug(),
        keyId: a.keyId,
        cacheTtlSeconds: 31 * 86_400,
      }),
    );
    expect(ttl.cacheTtlSeconds?.[0]).toMatch(/at most 30 days/);
  });

  it("budgets: amounts, periods, thresholds, scope/key consistency", async () => {
    const base = { orgSlug: slug(), scope: "org", period: "daily", hard: true } as const;
    const amount = async (amountUsd: unknown) =>
      (await fieldErrors(owner().limits.createBudget({ ...base, amountUsd: amountUsd as number })))
        .amountUsd?.[0];
    expect(await amount(-1)).toMatch(/more than \$0/);
    expect(await amount(0)).toMatch(/more than \$0/);
    expect(await amount(2e9)).toMatch(/at most \$1,000,000,000/);
    expect(await amount("ten")).toMatch(/must be a number/);
    expect(await amount(Number.POSITIVE_INFINITY)).toBeTruthy();

    const period = await fieldErrors(
      owner().limits.createBudget({ ...base, amountUsd: 1, period: "yearly" as "daily" }),
    );
    expect(period.period?.[0]).toBeTruthy();
    const thresholds = await fieldErrors(
      owner().limits.createBudget({ ...base, amountUsd: 1, alertThresholds: [50, 150] }),
    );
    expect(thresholds.alertThresholds?.[0]).toMatch(/100/);
    const noKey = await fieldErrors(
      owner().limits.createBudget({ ...base, scope: "key", amountUsd: 1 }),
    );
    expect(noKey.keyId?.[0]).toMatch(/needs the key's id/);
    const settings = await fieldErrors(
      owner().limits.updateSettings({
        orgSlug: slug(),
        semanticThreshold: 0.3,
        cacheTtlSeconds: 0,
      }),
    );
    expect(settings.semanticThreshold?.[0]).toMatch(/at least 0.5/);
    expect(settings.cacheTtlSeconds?.[0]).toMatch(/at least 1 second/);
  });
});

describe("tenancy: another org's ids are NOT_FOUND", () => {
  it("keys, tiers, budgets and limits of org B cannot be touched from org A", async () => {
    const bOwner = as(b, "owner");
    const bTier = await bOwner.limits.createTier({ orgSlug: b.org.slug, name: "b-tier", rpm: 1 });
    const bLimit = await bOwner.limits.setOrgLimit({ orgSlug: b.org.slug, model: null, rpm: 5 });
    const bBudget = await bOwner.limits.createBudget({
      orgSlug: b.org.slug,
      scope: "key",
      keyId: b.keyId,
      amountUsd: 5,
      period: "monthly",
      hard: true,
    });
    const attempts: [string, Promise<unknown>][] = [
      [
        "key limits on B's key",
        owner().limits.setKeyLimits({ orgSlug: slug(), keyId: b.keyId, rpm: 1 }),
      ],
      [
        "B's tier on A's key",
        owner().limits.setKeyLimits({ orgSlug: slug(), keyId: a.keyId, tierId: bTier.id }),
      ],
      ["update B's tier", owner().limits.updateTier({ orgSlug: slug(), id: bTier.id, name: "x" })],
      [
        "delete B's tier",
        owner().limits.deleteTier({ orgSlug: slug(), id: bTier.id, unassignKeys: true }),
      ],
      ["delete B's limit", owner().limits.deleteOrgLimit({ orgSlug: slug(), id: bLimit.id })],
      [
        "budget on B's key",
        owner().limits.createBudget({
          orgSlug: slug(),
          scope: "key",
          keyId: b.keyId,
          amountUsd: 1,
          period: "total",
          hard: true,
        }),
      ],
      [
        "update B's budget",
        owner().limits.updateBudget({
          orgSlug: slug(),
          id: bBudget.id,
          amountUsd: 1,
          period: "daily",
          hard: true,
        }),
      ],
      ["delete B's budget", owner().limits.deleteBudget({ orgSlug: slug(), id: bBudget.id })],
      ["clear B's key", owner().limits.clearKeyLimits({ orgSlug: slug(), keyId: b.keyId })],
    ];
    for (const [what, call] of attempts) {
      const err = await failure(call);
      expect(err.code, what).toBe("NOT_FOUND");
    }
    // A's owner cannot even name B's org.
    expect((await failure(owner().limits.overview({ orgSlug: b.org.slug }))).code).toBe(
      "NOT_FOUND",
    );
    const bView = await bOwner.limits.overview({ orgSlug: b.org.slug });
    expect(bView.tiers.map((t) => t.name)).toEqual(["b-tier"]);
    expect(bView.budgets.map((x) => x.amountMicros)).toEqual([5_000_000]);
    expect(bView.orgLimits).toHaveLength(1);
  });
});

describe("RBAC", () => {
  it("viewers and developers read; only admins and owners change", async () => {
    for (const role of ["viewer", "developer"] as const) {
      const caller = as(a, role);
      expect((await caller.limits.overview({ orgSlug: slug() })).keys.length).toBeGreaterThan(0);
      const mutations: Promise<unknown>[] = [
        caller.limits.createTier({ orgSlug: slug(), name: `by-${role}` }),
        caller.limits.setOrgLimit({ orgSlug: slug(), model: null, rpm: 1 }),
        caller.limits.setKeyLimits({ orgSlug: slug(), keyId: a.keyId, rpm: 1 }),
        caller.limits.createBudget({
          orgSlug: slug(),
          scope: "org",
          amountUsd: 1,
          period: "total",
          hard: true,
        }),
        caller.limits.updateSettings({ orgSlug: slug(), semanticCache: false }),
        caller.limits.addDefaultTiers({ orgSlug: slug() }),
        caller.limits.revealWebhookSecret({ orgSlug: slug() }),
      ];
      for (const m of mutations) expect((await failure(m)).code).toBe("FORBIDDEN");
    }
    const admin = await as(a, "admin").limits.createTier({ orgSlug: slug(), name: "by-admin" });
    expect(admin.name).toBe("by-admin");
    const tiers = await db()
      .select({ name: schema.rateLimitTiers.name })
      .from(schema.rateLimitTiers)
      .where(eq(schema.rateLimitTiers.orgId, a.org.id));
    expect(tiers.map((t) => t.name)).not.toContain("by-viewer");
    expect((await failure(callerFor(db(), null).limits.overview({ orgSlug: slug() }))).code).toBe(
      "UNAUTHORIZED",
    );
  });
});
