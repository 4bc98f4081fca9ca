import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeEndpoint } from "~/gateway/steps/authorize-endpoint";
import { GatewayError } from "~/gateway/gateway-error";
import type { DatabaseHandle } from "~/server/db";
import { apiKeys, auditEvents } from "~/server/db/schema";
import { ApiKeyCache } from "~/server/gateway/api-key-cache";
import { createApiKeyStore } from "~/server/gateway/api-key-store";
import { hashApiKeyForInstance } from "~/server/api-key-hashing";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture } from "../helpers/factories";

// Key permissions through the console's router and the gateway's key store (PGlite).

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;

beforeAll(async () => {
  handle = await createTestDatabase();
  a = await makeOrg(handle.db, "Perm A");
  b = await makeOrg(handle.db, "Perm B");
});
afterAll(async () => {
  await handle.close();
});

const row = async (id: string) =>
  (await handle.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0]!;

describe("apiKeys.create / updatePermissions", () => {
  it("stores the endpoint list sorted and deduplicated; null means all", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    const limited = await owner.apiKeys.create({
      orgSlug: a.org.slug,
      name: "limited",
      allowedEndpoints: ["models", "chat", "chat"],
    });
    expect(limited.apiKey.allowedEndpoints).toEqual(["chat", "models"]);
    const open = await owner.apiKeys.create({ orgSlug: a.org.slug, name: "open" });
    expect(open.apiKey.allowedEndpoints).toBeNull();
  });

  it("refuses an unknown endpoint group with a field error", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    await expect(
      owner.apiKeys.create({
        orgSlug: a.org.slug,
        name: "bad",
        allowedEndpoints: ["chat", "admin" as "chat"],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("changes models and endpoints, keeps what is left out, audits, and lifts with null", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    const { apiKey } = await owner.apiKeys.create({ orgSlug: a.org.slug, name: "to change" });
    const changed = await owner.apiKeys.updatePermissions({
      orgSlug: a.org.slug,
      id: apiKey.id,
      allowedEndpoints: ["embeddings"],
      allowedModels: ["text-embedding-3-small"],
    });
    expect(changed.allowedEndpoints).toEqual(["embeddings"]);
    expect(changed.allowedModels).toEqual(["text-embedding-3-small"]);
    const kept = await owner.apiKeys.updatePermissions({
      orgSlug: a.org.slug,
      id: apiKey.id,
      allowedEndpoints: null,
    });
    expect(kept.allowedEndpoints).toBeNull();
    expect(kept.allowedModels).toEqual(["text-embedding-3-small"]);
    const audits = await handle.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, apiKey.id));
    expect(audits.filter((e) => e.action === "api_key.update")).toHaveLength(2);
  });

  it("viewers may not change permissions", async () => {
    const viewer = callerFor(handle.db, a.users.viewer);
    await expect(
      viewer.apiKeys.updatePermissions({ orgSlug: a.org.slug, id: a.keyId, allowedEndpoints: [] }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("another org's key id is NOT_FOUND and stays unchanged", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    const before = await row(b.keyId);
    await expect(
      owner.apiKeys.updatePermissions({ orgSlug: a.org.slug, id: b.keyId, allowedEndpoints: [] }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await row(b.keyId)).toEqual(before);
  });
});

describe("the gateway's view of a limited key", () => {
  it("the cached record carries a set; authorizeEndpoint refuses other groups with 403", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    const { secret } = await owner.apiKeys.create({
      orgSlug: a.org.slug,
      name: "files only",
      allowedEndpoints: ["files"],
    });
    const store = createApiKeyStore(handle.db, { cache: new ApiKeyCache({ ttlMs: 1000 }) });
    const record = (await store.findByHash(hashApiKeyForInstance(secret)))!;
    expect(record.allowedEndpoints).toBeInstanceOf(Set);
    expect([...record.allowedEndpoints!]).toEqual(["files"]);
    expect(() => authorizeEndpoint(record, "files")).not.toThrow();
    let thrown: unknown;
    try {
      authorizeEndpoint(record, "chat");
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ status: 403, code: "endpoint_not_allowed", type: "permission_error" });
  });

  it("an unrestricted key has no set at all (nothing to check)", async () => {
    const store = createApiKeyStore(handle.db, { cache: new ApiKeyCache({ ttlMs: 1000 }) });
    const record = (await store.findByHash(hashApiKeyForInstance(a.keySecret)))!;
    expect(record.allowedEndpoints).toBeUndefined();
    expect(() => authorizeEndpoint(record, "chat")).not.toThrow();
  });
});
