import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routeDefinitionSchema, type RouteDefinition } from "~/gateway/routing/route-schema";
import type { DatabaseHandle } from "~/server/db/client";
import * as schema from "~/server/db/schema";
import { userActor } from "~/server/domain/actor";
import { createRoute } from "~/features/routes/server/create-route";
import { deleteRoute } from "~/features/routes/server/delete-route";
import { setRouteEnabled } from "~/features/routes/server/set-route-enabled";
import { updateRoute } from "~/features/routes/server/update-route";
import {
  createRouteDirectory,
  OrgRouteCache,
  sharedOrgRouteCache,
} from "~/server/routing/route-directory";
import { createTestDatabase } from "../helpers/db";
import { makeOrg, type OrgFixture } from "../helpers/factories";

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;
const db = () => handle.db;

beforeAll(async () => {
  handle = await createTestDatabase();
  a = await makeOrg(handle.db, "Directory A");
  b = await makeOrg(handle.db, "Directory B");
});
afterAll(async () => {
  sharedOrgRouteCache().clear();
  await handle.close();
});

const route = (name: string, ...models: string[]): RouteDefinition =>
  routeDefinitionSchema.parse({ name, targets: models.map((model) => ({ model })) });

/** The config file's routes, replaceable like a SIGHUP reload replaces them. */
let configRoutes: readonly RouteDefinition[] = [
  route("shared", "mock/mock-gpt"),
  route("smart", "mock/mock-gpt"),
];
const instanceRoutes = () => configRoutes;
const noProviders = { providers: { listForOrg: () => [] }, instanceRoutes };

const owner = (f: OrgFixture) => userActor(f.users.owner);
const names = (list: readonly RouteDefinition[]) => list.map((r) => r.name);

describe("route directory", () => {
  it("serves the org's enabled routes first, then the config routes it does not replace", async () => {
    const directory = createRouteDirectory(db(), { instanceRoutes });
    const created = await createRoute(db(), {
      orgId: a.org.id,
      actor: owner(a),
      input: { definition: route("smart", "mock/mock-embed") },
      env: noProviders,
    });
    await createRoute(db(), {
      orgId: a.org.id,
      actor: owner(a),
      input: { definition: route("alpha", "mock/mock-gpt") },
      env: noProviders,
    });
    await createRoute(db(), {
      orgId: a.org.id,
      actor: owner(a),
      input: { definition: route("dormant", "mock/mock-gpt"), enabled: false },
      env: noProviders,
    });

    const list = await directory.forOrg(a.org.id);
    // The org's "smart" replaces the config's for this org only; the disabled route is not served.
    expect(names(list)).toEqual(["alpha", "smart", "shared"]);
    expect(list.find((r) => r.name === "smart")!.targets[0]!.model).toBe("mock/mock-embed");
    expect(names(await directory.forOrg(b.org.id))).toEqual(["shared", "smart"]);
    expect((await directory.forOrg(b.org.id))[1]!.targets[0]!.model).toBe("mock/mock-gpt");

    // A hit is answered synchronously with the very same list (the core indexes per list).
    const again = directory.forOrg(a.org.id);
    expect(again).not.toBeInstanceOf(Promise);
    expect(again).toBe(list);
    // Without org routes, the config's list itself.
    expect(directory.forOrg(b.org.id)).toBe(configRoutes);

    await deleteRoute(db(), { orgId: a.org.id, actor: owner(a), input: { id: created.route.id } });
  });

  it("sees every change through the domain functions at once (invalidation), other orgs unaffected", async () => {
    const directory = createRouteDirectory(db(), { instanceRoutes });
    const bList = await directory.forOrg(b.org.id);
    const { route: beta } = await createRoute(db(), {
      orgId: a.org.id,
      actor: owner(a),
      input: { definition: route("beta", "mock/mock-gpt") },
      env: noProviders,
    });
    expect(names(await directory.forOrg(a.org.id))).toContain("beta");

    await updateRoute(db(), {
      orgId: a.org.id,
      actor: owner(a),
      input: { id: beta.id, version: 1, definition: route("beta", "mock/mock-embed") },
      env: noProviders,
    });
    const updated = (await directory.forOrg(a.org.id)).find((r) => r.name === "beta")!;
    expect(updated.targets[0]!.model).toBe("mock/mock-embed");

    await setRouteEnabled(db(), {
      orgId: a.org.id,
      actor: owner(a),
      input: { id: beta.id, enabled: false },
    });
    expect(names(await directory.forOrg(a.org.id))).not.toContain("beta");
    await setRouteEnabled(db(), {
      orgId: a.org.id,
      actor: owner(a),
      input: { id: beta.id, enabled: true },
    });
    expect(names(await directory.forOrg(a.org.id))).toContain("beta");

    await deleteRoute(db(), { orgId: a.org.id, actor: owner(a), input: { name: "beta" } });
    expect(names(await directory.forOrg(a.org.id))).not.toContain("beta");
    expect(directory.forOrg(b.org.id)).toBe(bList);
  });

  it("caches rows for its TTL: a write behind its back shows after invalidation only", async () => {
    const cache = new OrgRouteCache({ ttlMs: 60_000 });
    const directory = createRouteDirectory(db(), { instanceRoutes, cache });
    const before = await directory.forOrg(b.org.id);
    await db()
      .insert(schema.routes)
      .values({
        id: "rte_directtestrow0000001",
        orgId: b.org.id,
        name: "sneaky",
        definition: route("sneaky", "mock/mock-gpt"),
        createdBy: "test",
      });
    expect(directory.forOrg(b.org.id)).toBe(before);
    cache.invalidate(b.org.id);
    expect(names(await directory.forOrg(b.org.id))).toEqual(["sneaky", "shared", "smart"]);

    // A row the schema no longer accepts is skipped, not served half-understood.
    await db()
      .insert(schema.routes)
      .values({
        id: "rte_directtestrow0000002",
        orgId: b.org.id,
        name: "broken",
        definition: {
          name: "broken",
          strategy: "fallback",
          targets: [],
        } as unknown as RouteDefinition,
        createdBy: "test",
      });
    cache.invalidate(b.org.id);
    expect(names(await directory.forOrg(b.org.id))).toEqual(["sneaky", "shared", "smart"]);
  });

  it("follows a config reload: the new instance routes are merged in, the org's own still win", async () => {
    const directory = createRouteDirectory(db(), { instanceRoutes });
    await createRoute(db(), {
      orgId: a.org.id,
      actor: owner(a),
      input: { definition: route("shared", "mock/mock-embed") },
      env: noProviders,
    });
    const before = await directory.forOrg(a.org.id);
    configRoutes = [route("shared", "mock/mock-gpt"), route("fresh", "mock/mock-gpt")];
    const after = await directory.forOrg(a.org.id);
    expect(after).not.toBe(before);
    expect(names(after)).toEqual(["alpha", "shared", "fresh"]);
    expect(after.find((r) => r.name === "shared")!.targets[0]!.model).toBe("mock/mock-embed");
  });

  it("without a config file every org without routes gets one shared empty list", async () => {
    const directory = createRouteDirectory(db(), {
      instanceRoutes: () => [],
      cache: new OrgRouteCache({ ttlMs: 60_000 }),
    });
    expect(names(await directory.forOrg(b.org.id))).toEqual(["sneaky"]);
    const emptyOrg = await makeOrg(db(), "Directory C");
    const none = await directory.forOrg(emptyOrg.org.id);
    expect(none).toEqual([]);
    expect(directory.forOrg(emptyOrg.org.id)).toBe(none);
    expect(await directory.forOrg("org_without_any_rows")).toBe(none);
  });
});
