import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as schema from "~/server/db/schema";
import { NO_LIMITS, type RequestLimits } from "~/gateway/limits/types";
import type { DatabaseHandle } from "~/server/db";
import { userActor } from "~/server/domain/actor";
import { createBudget } from "~/features/limits/server/create-budget";
import { createTier } from "~/features/limits/server/create-tier";
import { setKeyLimits } from "~/features/limits/server/set-key-limits";
import { setOrgLimit } from "~/features/limits/server/set-org-limit";
import { updateLimitSettings } from "~/features/limits/server/update-limit-settings";
import { updateTier } from "~/features/limits/server/update-tier";
import { createApiKey } from "~/features/api-keys/server/create-api-key";
import {
  cacheSettingsFor,
  createLimitsDirectory,
  getOrgLimitSettings,
  OrgLimitsCache,
} from "~/server/limits-config/limits-directory";
import { createTestDatabase } from "../helpers/db";
import { makeOrg, type OrgFixture } from "../helpers/factories";

/*
 * The LimitsDirectory the gateway reads: effective key limits (own over tier), org-wide and
 * per-model limits, budgets by scope, settings; cached per org and invalidated by every change.
 */

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;
const db = () => handle.db;
const actor = () => userActor(a.users.owner);

beforeAll(async () => {
  handle = await createTestDatabase();
  a = await makeOrg(handle.db, "Directory A");
  b = await makeOrg(handle.db, "Directory B");
});
afterAll(async () => {
  await handle.close();
});

const resolve = async (
  d: ReturnType<typeof createLimitsDirectory>,
  orgId: string,
  keyId: string,
  model: string,
) => (await d.forRequest(orgId, keyId, model)) as RequestLimits;

describe("createLimitsDirectory", () => {
  it("an org with nothing configured gets NO_LIMITS", async () => {
    const directory = createLimitsDirectory(db(), { cache: new OrgLimitsCache({ ttlMs: 60_000 }) });
    expect(await resolve(directory, b.org.id, b.keyId, "gpt-4o")).toBe(NO_LIMITS);
  });

  it("resolves key (own over tier), org-wide, per-model limits, budgets and allowUnpriced", async () => {
    const orgId = a.org.id;
    const other = await createApiKey(db(), { orgId, actor: actor(), input: { name: "other" } });
    const tier = await createTier(db(), {
      orgId,
      actor: actor(),
      input: { name: "pro", rpm: 500, tpm: 2_000_000, rpd: 50_000, concurrent: 20 },
    });
    await setKeyLimits(db(), {
      orgId,
      actor: actor(),
      input: { keyId: a.keyId, tierId: tier.id, rpm: 7, concurrent: null },
    });
    await setOrgLimit(db(), { orgId, actor: actor(), input: { model: null, rpm: 1000 } });
    await setOrgLimit(db(), { orgId, actor: actor(), input: { model: "gpt-4o", tpm: 90_000 } });
    const orgBudget = await createBudget(db(), {
      orgId,
      actor: actor(),
      input: {
        scope: "org",
        keyId: null,
        amountMicros: 100_000_000,
        period: "monthly",
        hard: true,
        alertThresholds: [50, 80, 100],
      },
    });
    const keyBudget = await createBudget(db(), {
      orgId,
      actor: actor(),
      input: {
        scope: "key",
        keyId: a.keyId,
        amountMicros: 5_000_000,
        period: "daily",
        hard: false,
        alertThresholds: [90],
      },
    });
    const userBudget = await createBudget(db(), {
      orgId,
      actor: actor(),
      input: {
        scope: "user",
        keyId: null,
        amountMicros: 1_000_000,
        period: "weekly",
        hard: true,
        alertThresholds: [100],
      },
    });

    const directory = createLimitsDirectory(db(), { cache: new OrgLimitsCache({ ttlMs: 60_000 }) });
    const limits = await resolve(directory, orgId, a.keyId, "gpt-4o");
    expect(limits.key).toEqual({ rpm: 7, tpm: 2_000_000, rpd: 50_000, concurrent: 20 });
    expect(limits.org).toEqual({ rpm: 1000, tpm: null, rpd: null, concurrent: null });
    expect(limits.model).toEqual({ rpm: null, tpm: 90_000, rpd: null, concurrent: null });
    expect(limits.allowUnpriced).toBe(false);
    expect(limits.budgets.map((r) => r.id)).toEqual([orgBudget.id, keyBudget.id, userBudget.id]);
    expect(limits.budgets[1]).toEqual({
      id: keyBudget.id,
      scope: "key",
      keyId: a.keyId,
      amountMicros: 5_000_000,
      period: "daily",
      hard: false,
      alertThresholds: [90],
    });

    // Another key: no key limits, no key budget; another model: no model limits.
    const forOther = await resolve(directory, orgId, other.apiKey.id, "mock-gpt");
    expect(forOther.key).toBeNull();
    expect(forOther.model).toBeNull();
    expect(forOther.budgets.map((r) => r.scope)).toEqual(["org", "user"]);

    // A warm org answers synchronously, with the same (frozen) object for the same key and model.
    const again = directory.forRequest(orgId, a.keyId, "gpt-4o");
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toBe(limits);
    expect(Object.isFrozen(limits)).toBe(true);

    // Org B's configuration never leaks into A's answer and vice versa.
    expect(await resolve(directory, b.org.id, b.keyId, "gpt-4o")).toBe(NO_LIMITS);
  });

  it("changes are picked up: at once on the shared cache, after invalidate on a private one", async () => {
    const orgId = a.org.id;
    const shared = createLimitsDirectory(db());
    const privateCache = createLimitsDirectory(db(), {
      cache: new OrgLimitsCache({ ttlMs: 60_000 }),
    });
    expect((await resolve(shared, orgId, a.keyId, "gpt-4o")).key?.tpm).toBe(2_000_000);
    expect((await resolve(privateCache, orgId, a.keyId, "gpt-4o")).key?.tpm).toBe(2_000_000);

    const [pro] = await db()
      .select()
      .from(schema.rateLimitTiers)
      .where(eq(schema.rateLimitTiers.orgId, orgId));
    await updateTier(db(), {
      orgId,
      actor: actor(),
      input: { id: pro!.id, name: "pro", rpm: 500, tpm: 3_000, rpd: null, concurrent: 20 },
    });
    await updateLimitSettings(db(), {
      orgId,
      actor: actor(),
      input: { allowUnpricedUnderHardBudget: true },
    });

    const fresh = await resolve(shared, orgId, a.keyId, "gpt-4o");
    expect(fresh.key).toEqual({ rpm: 7, tpm: 3_000, rpd: null, concurrent: 20 });
    expect(fresh.allowUnpriced).toBe(true);
    // The private cache still holds the old answer until told.
    expect((await resolve(privateCache, orgId, a.keyId, "gpt-4o")).key?.tpm).toBe(2_000_000);
    privateCache.invalidate(orgId);
    expect((await resolve(privateCache, orgId, a.keyId, "gpt-4o")).key?.tpm).toBe(3_000);
  });

  it("settings and cache settings: defaults, org values, a key's TTL override", async () => {
    const cache = new OrgLimitsCache({ ttlMs: 0 });
    expect(await getOrgLimitSettings(db(), b.org.id, cache)).toMatchObject({
      cacheDefault: "off",
      cacheTtlSeconds: 3600,
      semanticCache: false,
    });
    expect(await cacheSettingsFor(db(), b.org.id, b.keyId, cache)).toEqual({
      cacheDefault: "off",
      ttlSeconds: 3600,
      semantic: null,
    });
    await updateLimitSettings(db(), {
      orgId: b.org.id,
      actor: userActor(b.users.owner),
      input: {
        cacheDefault: "on",
        cacheTtlSeconds: 120,
        semanticCache: true,
        semanticThreshold: 0.9,
      },
    });
    await setKeyLimits(db(), {
      orgId: b.org.id,
      actor: userActor(b.users.owner),
      input: { keyId: b.keyId, cacheTtlSeconds: 30 },
    });
    expect(await cacheSettingsFor(db(), b.org.id, b.keyId, cache)).toEqual({
      cacheDefault: "on",
      ttlSeconds: 30,
      semantic: { threshold: 0.9 },
    });
    expect(await cacheSettingsFor(db(), b.org.id, "key_other", cache)).toMatchObject({
      ttlSeconds: 120,
    });
    // A cache TTL alone is no rate limit.
    const directory = createLimitsDirectory(db(), { cache });
    expect(await resolve(directory, b.org.id, b.keyId, "m")).toBe(NO_LIMITS);
  });
});
