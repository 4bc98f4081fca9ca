import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as route from "~/app/v1/[...path]/route";
import { setDatabase, type DatabaseHandle } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import { getGateway, invalidateApiKey, shutdownGateway } from "~/server/gateway";
import { createTestDatabase } from "../helpers/db";
import { insertKey, insertOrg, lastUsedAt } from "./db-fixtures";

// The Next.js mount of the gateway (what Vercel and `next start` serve), called as Next calls it.
let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await createTestDatabase();
  setDatabase(handle);
});
afterAll(async () => {
  await shutdownGateway();
  await handle.close();
});

const req = (path: string, init: RequestInit = {}) =>
  new Request(`http://localhost:3000${path}`, init);

describe("src/app/v1/[...path]/route.ts", () => {
  it("is a Node.js, always-dynamic route exporting every method", () => {
    expect(route.runtime).toBe("nodejs");
    expect(route.dynamic).toBe("force-dynamic");
    for (const m of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const) {
      expect(typeof route[m]).toBe("function");
    }
  });

  it("authenticates against the database and lists models", async () => {
    const orgId = await insertOrg(handle.db);
    const key = await insertKey(handle.db, orgId);
    const res = await route.GET(
      req("/v1/models", {
        headers: { authorization: `Bearer ${key.secret}`, "x-request-id": "via-next" },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("via-next");
    // The org's models (here the instance providers': the built-in mock outside production).
    const list = (await res.json()) as { object: string; data: { id: string; object: string }[] };
    expect(list.object).toBe("list");
    for (const m of list.data) expect(m).toMatchObject({ id: expect.any(String), object: "model" });
  });

  it("refuses unknown, revoked and expired keys", async () => {
    const orgId = await insertOrg(handle.db);
    const unknown = await route.GET(
      req("/v1/models", { headers: { "x-api-key": "sy-" + "Z".repeat(43) } }),
    );
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).error.code).toBe("invalid_api_key");

    const revoked = await insertKey(handle.db, orgId);
    const ok = await route.GET(req("/v1/models", { headers: { "x-api-key": revoked.secret } }));
    expect(ok.status).toBe(200);
    await handle.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(eq(apiKeys.id, revoked.id));
    invalidateApiKey(revoked.hash);
    const after = await route.GET(req("/v1/models", { headers: { "x-api-key": revoked.secret } }));
    expect(after.status).toBe(401);
    expect((await after.json()).error.message).toBe("This API key has been revoked.");

    const expired = await insertKey(handle.db, orgId, { expiresAt: new Date(Date.now() - 1000) });
    const exp = await route.GET(
      req("/v1/models", { headers: { authorization: `bearer ${expired.secret}` } }),
    );
    expect(exp.status).toBe(401);
    expect((await exp.json()).error.message).toMatch(/^This API key expired at /);
  });

  it("answers unknown paths and methods in OpenAI's shape", async () => {
    const res = await route.POST(req("/v1/nope", { method: "POST", body: "{}" }));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        message: "Invalid URL (POST /v1/nope)",
        type: "invalid_request_error",
        param: null,
        code: "unknown_url",
      },
    });
    const wrong = await route.DELETE(req("/v1/models", { method: "DELETE" }));
    expect(wrong.status).toBe(405);
  });

  it("records last use off the request path, written on flush", async () => {
    const orgId = await insertOrg(handle.db);
    const key = await insertKey(handle.db, orgId);
    await route.GET(req("/v1/models", { headers: { authorization: `Bearer ${key.secret}` } }));
    expect(await lastUsedAt(handle.db, key.id)).toBeNull();
    await shutdownGateway();
    expect(await lastUsedAt(handle.db, key.id)).toBeInstanceOf(Date);
  });

  it("rebuilds the gateway when the database is replaced", async () => {
    const first = await getGateway();
    expect(await getGateway()).toBe(first);
    const other = await createTestDatabase();
    try {
      setDatabase(other);
      expect(await getGateway()).not.toBe(first);
    } finally {
      setDatabase(handle);
      await shutdownGateway();
      await other.close();
    }
  });
});
