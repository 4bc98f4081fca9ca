import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { azureOpenAIAdapter } from "~/providers/azure-openai";
import type * as Registry from "~/providers/registry";
import { closeUpstreamPools } from "~/providers/http/upstream-pools";
import type { DatabaseHandle } from "~/server/db/client";
import * as schema from "~/server/db/schema";
import { InstanceProviderSet } from "~/server/providers/instance-providers";
import { createProviderDirectory, OrgProviderCache } from "~/server/providers/provider-directory";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture } from "../helpers/factories";
import { fixtureReader, openAIJson, startFixtureServer } from "../providers/fixture-server";

// The registry gains its azure-openai line separately; these tests must not depend on when.
vi.mock("~/providers/registry", async (importOriginal) => {
  const real = await importOriginal<typeof Registry>();
  const { azureOpenAIAdapter: azure } = await import("~/providers/azure-openai");
  const get = (type: string) => (type === "azure-openai" ? azure : real.getProviderAdapter(type));
  const types = real.PROVIDER_TYPES.includes("azure-openai")
    ? real.PROVIDER_TYPES
    : Object.freeze([...real.PROVIDER_TYPES, "azure-openai"]);
  return { ...real, PROVIDER_TYPES: types, getProviderAdapter: get, providerRegistry: { get } };
});

const AZURE_KEY = "azure-resource-key-0123456789abcdef";
const azure = fixtureReader("azure-openai");

let handle: DatabaseHandle;
let upstream: Awaited<ReturnType<typeof startFixtureServer>>;
let resource: string;
let f: OrgFixture;
const db = () => handle.db;
const owner = () => callerFor(db(), f.users.owner);

beforeAll(async () => {
  [handle, upstream] = await Promise.all([createTestDatabase(), startFixtureServer()]);
  resource = `http://127.0.0.1:${upstream.port}`;
  f = await makeOrg(handle.db, "Azure Org");
});
afterAll(async () => {
  await closeUpstreamPools();
  await Promise.all([handle?.close(), upstream?.close()]);
});

async function errorOf(p: Promise<unknown>): Promise<{ code?: string; message?: string } | null> {
  return p.then(
    () => null,
    (e: { code?: string; message?: string }) => e,
  );
}

async function storedRow(id: string) {
  const [row] = await db().select().from(schema.orgProviders).where(eq(schema.orgProviders.id, id));
  return row!;
}

/** The org's providers as the gateway's directory hands them out (no instance providers). */
async function gatewayConfigs(orgId: string) {
  const directory = createProviderDirectory(db(), {
    instance: new InstanceProviderSet([], { refreshMs: 60_000 }),
    cache: new OrgProviderCache({ ttlMs: 0 }),
  });
  return directory.listForOrg(orgId);
}

describe("azure-openai providers in an org", () => {
  it("is offered as a type", async () => {
    const list = await owner().providers.list({ orgSlug: f.org.slug });
    expect(list.types).toContain("azure-openai");
  });

  it("creates one with an API version: stored, returned, listed, and in the gateway's config", async () => {
    const created = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "azure-eu",
      type: "azure-openai",
      baseUrl: `${resource}/`,
      apiKey: AZURE_KEY,
      models: ["gpt-4o-mini"],
      options: { apiVersion: " 2025-04-01-preview " },
    });
    expect(created).toMatchObject({
      type: "azure-openai",
      baseUrl: resource,
      options: { apiVersion: "2025-04-01-preview" },
    });
    expect((await storedRow(created.id)).options).toEqual({ apiVersion: "2025-04-01-preview" });
    const listed = (await owner().providers.list({ orgSlug: f.org.slug })).org.find(
      (p) => p.id === created.id,
    );
    expect(listed?.options).toEqual({ apiVersion: "2025-04-01-preview" });

    const config = (await gatewayConfigs(f.org.id)).find((p) => p.id === "azure-eu");
    expect(config).toMatchObject({
      type: "azure-openai",
      baseURL: resource,
      apiKey: AZURE_KEY,
      options: { apiVersion: "2025-04-01-preview" },
    });

    // …which the adapter turns into the deployment call with that api-version.
    upstream.serve("chat-basic", "json", azure);
    await azureOpenAIAdapter.chat(config!, azure.readRequest("chat-basic").body, {
      signal: new AbortController().signal,
      requestId: "req-azure-org",
    });
    const got = upstream.received.at(-1)!;
    expect(got.url).toBe(
      "/openai/deployments/gpt-4o-mini/chat/completions?api-version=2025-04-01-preview",
    );
    expect(got.headers["api-key"]).toBe(AZURE_KEY);
  });

  it("creates one without an API version (the adapter's default): no options anywhere", async () => {
    const created = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "azure-default",
      type: "azure-openai",
      baseUrl: resource,
      options: { apiVersion: "" },
    });
    expect(created.options).toEqual({});
    expect((await storedRow(created.id)).options).toBeNull();
    const config = (await gatewayConfigs(f.org.id)).find((p) => p.id === "azure-default");
    expect(config).toBeDefined();
    expect(config!.options).toBeUndefined();
  });

  it("refuses a bad API version, or options the type does not take, with BAD_REQUEST", async () => {
    const count = async () =>
      (await db().select().from(schema.orgProviders).where(eq(schema.orgProviders.orgId, f.org.id)))
        .length;
    const before = await count();
    for (const [type, options] of [
      ["azure-openai", { apiVersion: "2024-10" }],
      ["azure-openai", { apiVersion: "latest" }],
      ["azure-openai", { apiVersion: "2024-10-21-beta" }],
      ["azure-openai", { apiVersion: "V1" }],
      ["azure-openai", { deployment: "gpt-4o" }],
      ["openai-compatible", { apiVersion: "2024-10-21" }],
    ] as const) {
      const err = await errorOf(
        owner().providers.create({
          orgSlug: f.org.slug,
          name: "azure-bad",
          type,
          baseUrl: resource,
          options,
        }),
      );
      expect(err?.code, `${type} ${JSON.stringify(options)}`).toBe("BAD_REQUEST");
    }
    const shape = await errorOf(
      owner().providers.create({
        orgSlug: f.org.slug,
        name: "azure-bad",
        type: "azure-openai",
        baseUrl: resource,
        options: { apiVersion: "2024-10-21\r\nX-Evil: 1" },
      }),
    );
    expect(shape?.code).toBe("BAD_REQUEST");
    expect(await count()).toBe(before);
  });

  it("updates the API version (v1 accepted), refuses a bad one, and drops it when the type changes", async () => {
    const p = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "azure-upd",
      type: "azure-openai",
      baseUrl: resource,
      options: { apiVersion: "2024-10-21" },
    });
    const v1 = await owner().providers.update({
      orgSlug: f.org.slug,
      id: p.id,
      options: { apiVersion: "v1" },
    });
    expect(v1.options).toEqual({ apiVersion: "v1" });
    const bad = await errorOf(
      owner().providers.update({ orgSlug: f.org.slug, id: p.id, options: { apiVersion: "v2" } }),
    );
    expect(bad?.code).toBe("BAD_REQUEST");
    expect((await storedRow(p.id)).options).toEqual({ apiVersion: "v1" });
    // Leaving options out keeps them.
    const renamed = await owner().providers.update({
      orgSlug: f.org.slug,
      id: p.id,
      name: "azure-upd-2",
    });
    expect(renamed.options).toEqual({ apiVersion: "v1" });
    const retyped = await owner().providers.update({
      orgSlug: f.org.slug,
      id: p.id,
      type: "openai-compatible",
    });
    expect(retyped.options).toEqual({});
    expect((await storedRow(p.id)).options).toBeNull();
  });

  it("tests the connection and discovers deployments through the adapter, with the draft's API version", async () => {
    upstream.set((req, res) => {
      const fixture = azure.readResponse(
        req.url === "/openai/deployments?api-version=2022-12-01"
          ? "error-404-resource"
          : req.url === "/openai/models?api-version=2024-06-01"
            ? "models"
            : "error-404-resource",
      );
      res.writeHead(fixture.status, fixture.headers);
      res.end(openAIJson(fixture.body));
    });
    const draft = {
      type: "azure-openai",
      baseUrl: resource,
      apiKey: AZURE_KEY,
      options: { apiVersion: "2024-06-01" },
    };
    const tested = await owner().providers.test({ orgSlug: f.org.slug, draft });
    expect(tested).toMatchObject({ ok: true, modelCount: 2 });
    const found = await owner().providers.discoverModels({ orgSlug: f.org.slug, draft });
    expect(found.discovered).toEqual(["gpt-4o-mini-2024-07-18", "text-embedding-3-small"]);
    expect(upstream.received.at(-1)!.headers["api-key"]).toBe(AZURE_KEY);

    const badDraft = await errorOf(
      owner().providers.test({
        orgSlug: f.org.slug,
        draft: { ...draft, options: { apiVersion: "tomorrow" } },
      }),
    );
    expect(badDraft?.code).toBe("BAD_REQUEST");
  });

  it("a saved provider is tested with its stored API version and key; a refused key fails the test", async () => {
    const p = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "azure-saved",
      type: "azure-openai",
      baseUrl: resource,
      apiKey: AZURE_KEY,
      options: { apiVersion: "v1" },
    });
    const seen: string[] = [];
    upstream.set((req, res) => {
      seen.push(req.url);
      const name = req.url === "/openai/v1/models" ? "models" : "error-404-resource";
      const fixture = azure.readResponse(name);
      res.writeHead(fixture.status, fixture.headers);
      res.end(openAIJson(fixture.body));
    });
    const ok = await owner().providers.test({ orgSlug: f.org.slug, id: p.id });
    expect(ok).toMatchObject({ ok: true, modelCount: 2, recorded: true });
    expect(seen).toEqual(["/openai/deployments?api-version=2022-12-01", "/openai/v1/models"]);

    upstream.serve("error-401", "json", azure);
    const refused = await owner().providers.test({ orgSlug: f.org.slug, id: p.id });
    expect(refused).toMatchObject({ ok: false, status: 401 });
    expect(refused.message).toMatch(/invalid subscription key/);
    expect(refused.message).not.toContain(AZURE_KEY);
  });
});
