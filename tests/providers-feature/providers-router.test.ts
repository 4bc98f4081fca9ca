import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import type { DatabaseHandle } from "~/server/db/client";
import * as schema from "~/server/db/schema";
import { userActor } from "~/server/domain/actor";
import { createProvider } from "~/features/providers/server/create-provider";
import { testProviderConnection } from "~/features/providers/server/test-provider-connection";
import {
  providerSettingsFromEnv,
  type ProviderSettings,
} from "~/server/providers/provider-settings";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture } from "../helpers/factories";
import { startMockUpstream, type MockUpstream } from "./mock-upstream";

const UPSTREAM_KEY = "sk-mock-upstream-key-0123456789";

let handle: DatabaseHandle;
let upstream: MockUpstream;
let f: OrgFixture;
const db = () => handle.db;

beforeAll(async () => {
  [handle, upstream] = await Promise.all([
    createTestDatabase(),
    startMockUpstream({ MOCK_API_KEY: UPSTREAM_KEY }),
  ]);
  f = await makeOrg(handle.db, "Providers Org");
});
afterAll(async () => {
  await Promise.all([handle?.close(), upstream?.stop()]);
});

const owner = () => callerFor(db(), f.users.owner);

async function errorOf(p: Promise<unknown>): Promise<{ code?: string; message?: string } | null> {
  return p.then(
    () => null,
    (e: { code?: string; message?: string }) => e,
  );
}

async function providerCount(orgId: string): Promise<number> {
  return (await db().select().from(schema.orgProviders).where(eq(schema.orgProviders.orgId, orgId)))
    .length;
}

async function auditJson(orgId: string): Promise<string> {
  return JSON.stringify(
    await db().select().from(schema.auditEvents).where(eq(schema.auditEvents.orgId, orgId)),
  );
}

/** Requests the mock upstream has received so far. */
async function upstreamRequests(): Promise<number> {
  const res = await fetch(upstream.baseUrl.replace(/\/v1$/, "/__mock/requests"));
  return ((await res.json()) as { data: unknown[] }).data.length;
}

/** Runs `fn` with this process's provider settings as in production (private upstreams refused). */
async function asProduction<T>(fn: () => Promise<T>): Promise<T> {
  const g = globalThis as { __switchyardProviderSettings?: ProviderSettings };
  const saved = g.__switchyardProviderSettings;
  g.__switchyardProviderSettings = providerSettingsFromEnv({ ...env(), NODE_ENV: "production" });
  try {
    return await fn();
  } finally {
    g.__switchyardProviderSettings = saved;
  }
}

describe("providers router: create, list, update, delete", () => {
  it("round-trips a provider; the API key is write-only everywhere (list, results, audit)", async () => {
    const secret = "sk-groq-abcdefghijklmnop-WXYZ";
    const created = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "groq",
      type: "openai-compatible",
      baseUrl: "https://api.groq.com/openai/v1/",
      apiKey: secret,
      models: ["llama-3.3-70b-versatile", "llama-3.3-70b-versatile", "gemma2-9b-it"],
      headers: { "X-Title": "switchyard" },
    });
    expect(created).toMatchObject({
      name: "groq",
      baseUrl: "https://api.groq.com/openai/v1",
      hasApiKey: true,
      apiKeyLast4: "WXYZ",
      models: ["llama-3.3-70b-versatile", "gemma2-9b-it"],
      lastTest: null,
    });
    expect(JSON.stringify(created)).not.toContain(secret);

    for (const role of ["owner", "viewer"] as const) {
      const list = await callerFor(db(), f.users[role]).providers.list({ orgSlug: f.org.slug });
      const json = JSON.stringify(list);
      expect(json).not.toContain(secret);
      expect(json).not.toContain("apiKeyEncrypted");
      expect(json).not.toMatch(/v1:[A-Za-z0-9_-]{16}:/);
      expect(list.org.map((p) => p.name)).toContain("groq");
      expect(list.types).toEqual(expect.arrayContaining(["openai", "openai-compatible", "mock"]));
      expect(list.instance.map((p) => p.id)).toContain("mock");
    }

    const updated = await owner().providers.update({
      orgSlug: f.org.slug,
      id: created.id,
      apiKey: "sk-new-key-0000-QRST",
      models: ["gemma2-9b-it"],
    });
    expect(updated.apiKeyLast4).toBe("QRST");
    expect(updated.models).toEqual(["gemma2-9b-it"]);
    const removed = await owner().providers.update({
      orgSlug: f.org.slug,
      id: created.id,
      apiKey: null,
    });
    expect(removed).toMatchObject({ hasApiKey: false, apiKeyLast4: null });

    await owner().providers.delete({ orgSlug: f.org.slug, id: created.id });
    expect(
      (await owner().providers.list({ orgSlug: f.org.slug })).org.map((p) => p.name),
    ).not.toContain("groq");

    const audit = await auditJson(f.org.id);
    for (const action of ["provider.create", "provider.update", "provider.delete"])
      expect(audit).toContain(action);
    expect(audit).not.toContain(secret);
    expect(audit).not.toContain("sk-new-key-0000-QRST");
    expect(audit).not.toContain("abcdefghijklmnop");
  });

  it("an unchanged update writes nothing (no audit event)", async () => {
    const p = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "same",
      type: "openai-compatible",
      baseUrl: "https://api.mistral.ai/v1",
    });
    const before = await auditJson(f.org.id);
    await owner().providers.update({
      orgSlug: f.org.slug,
      id: p.id,
      name: "same",
      baseUrl: "https://api.mistral.ai/v1",
    });
    expect(await auditJson(f.org.id)).toBe(before);
  });

  it("a stored key is never sent to another host: changing the origin needs the key again", async () => {
    const p = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "keyed",
      type: "openai-compatible",
      baseUrl: "https://api.together.xyz/v1",
      apiKey: "sk-together-1111",
    });
    const moved = await errorOf(
      owner().providers.update({
        orgSlug: f.org.slug,
        id: p.id,
        baseUrl: "https://attacker.example.com/v1",
      }),
    );
    expect(moved?.code).toBe("BAD_REQUEST");
    expect(moved?.message).toMatch(/enter the API key again/);
    const probe = await errorOf(
      owner().providers.test({
        orgSlug: f.org.slug,
        id: p.id,
        draft: { type: "openai-compatible", baseUrl: "https://attacker.example.com/v1" },
      }),
    );
    expect(probe?.code).toBe("BAD_REQUEST");
    // Same origin, other path: fine. Another origin with a new key: fine.
    await owner().providers.update({
      orgSlug: f.org.slug,
      id: p.id,
      baseUrl: "https://api.together.xyz/v2",
    });
    const ok = await owner().providers.update({
      orgSlug: f.org.slug,
      id: p.id,
      baseUrl: "https://api.other.example.com/v1",
      apiKey: "sk-other-2222",
    });
    expect(ok.apiKeyLast4).toBe("2222");
  });
});

describe("providers router: bad input → clear client errors, nothing written", () => {
  const valid = { name: "valid", type: "openai-compatible", baseUrl: "https://api.example.com/v1" };
  const BAD: [string, Record<string, unknown>, string][] = [
    ["empty name", { ...valid, name: "" }, "BAD_REQUEST"],
    ["upper-case name", { ...valid, name: "Groq" }, "BAD_REQUEST"],
    ["name with slash", { ...valid, name: "a/b" }, "BAD_REQUEST"],
    ["name too long", { ...valid, name: "a".repeat(41) }, "BAD_REQUEST"],
    ["name starting with -", { ...valid, name: "-x" }, "BAD_REQUEST"],
    ["instance id openai", { ...valid, name: "openai" }, "BAD_REQUEST"],
    ["instance id mock", { ...valid, name: "mock" }, "BAD_REQUEST"],
    ["unknown type", { ...valid, type: "anthropic-v9" }, "BAD_REQUEST"],
    ["not a URL", { ...valid, baseUrl: "api.example.com" }, "BAD_REQUEST"],
    ["ftp URL", { ...valid, baseUrl: "ftp://api.example.com/v1" }, "BAD_REQUEST"],
    ["javascript URL", { ...valid, baseUrl: "javascript:alert(1)" }, "BAD_REQUEST"],
    ["file URL", { ...valid, baseUrl: "file:///etc/passwd" }, "BAD_REQUEST"],
    [
      "credentials in URL",
      { ...valid, baseUrl: "https://user:pw@api.example.com/v1" },
      "BAD_REQUEST",
    ],
    [
      "huge URL",
      { ...valid, baseUrl: `https://api.example.com/${"a".repeat(5000)}` },
      "BAD_REQUEST",
    ],
    ["key too long", { ...valid, apiKey: "k".repeat(501) }, "BAD_REQUEST"],
    ["key with newline", { ...valid, apiKey: "sk-abc\r\nX-Evil: 1" }, "BAD_REQUEST"],
    [
      "501 models",
      { ...valid, models: Array.from({ length: 501 }, (_, i) => `m-${i}`) },
      "BAD_REQUEST",
    ],
    [
      "100k models",
      { ...valid, models: Array.from({ length: 100_000 }, (_, i) => `m-${i}`) },
      "BAD_REQUEST",
    ],
    ["model id too long", { ...valid, models: ["m".repeat(201)] }, "BAD_REQUEST"],
    ["empty model id", { ...valid, models: [""] }, "BAD_REQUEST"],
    ["models not a list", { ...valid, models: "gpt-4o" }, "BAD_REQUEST"],
    ["authorization header", { ...valid, headers: { Authorization: "Bearer x" } }, "BAD_REQUEST"],
    ["header with newline", { ...valid, headers: { "X-A": "a\nb" } }, "BAD_REQUEST"],
    ["tiny timeout", { ...valid, timeouts: { connectMs: 5 } }, "BAD_REQUEST"],
    ["unknown timeout", { ...valid, timeouts: { foreverMs: 5000 } }, "BAD_REQUEST"],
    ["negative priority", { ...valid, priority: -1 }, "BAD_REQUEST"],
  ];

  it.each(BAD)("create refuses %s", async (_label, input, code) => {
    const before = await providerCount(f.org.id);
    const err = await errorOf(owner().providers.create({ orgSlug: f.org.slug, ...input } as never));
    expect(err?.code).toBe(code);
    expect(String(err?.message).length).toBeLessThan(2000);
    expect(await providerCount(f.org.id)).toBe(before);
  });

  it("duplicate names in one org → CONFLICT (create and rename); the same name in another org is fine", async () => {
    const first = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "dup",
      type: "openai-compatible",
      baseUrl: "https://api.example.com/v1",
    });
    const second = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "dup-2",
      type: "openai-compatible",
      baseUrl: "https://api.example.com/v1",
    });
    expect(
      (
        await errorOf(
          owner().providers.create({
            orgSlug: f.org.slug,
            name: "dup",
            type: "openai",
            baseUrl: "https://api.openai.com/v1",
          }),
        )
      )?.code,
    ).toBe("CONFLICT");
    expect(
      (await errorOf(owner().providers.update({ orgSlug: f.org.slug, id: second.id, name: "dup" })))
        ?.code,
    ).toBe("CONFLICT");
    expect(
      (
        await errorOf(
          owner().providers.update({ orgSlug: f.org.slug, id: first.id, name: "openai" }),
        )
      )?.code,
    ).toBe("BAD_REQUEST");
    const other = await makeOrg(db());
    await callerFor(db(), other.users.owner).providers.create({
      orgSlug: other.org.slug,
      name: "dup",
      type: "openai-compatible",
      baseUrl: "https://api.example.com/v1",
    });
  });

  it("update and delete of unknown ids → NOT_FOUND; probes need an id or a draft", async () => {
    expect(
      (await errorOf(owner().providers.update({ orgSlug: f.org.slug, id: "prv_nope", name: "x" })))
        ?.code,
    ).toBe("NOT_FOUND");
    expect(
      (await errorOf(owner().providers.delete({ orgSlug: f.org.slug, id: "prv_nope" })))?.code,
    ).toBe("NOT_FOUND");
    expect(
      (await errorOf(owner().providers.test({ orgSlug: f.org.slug, id: "prv_nope" })))?.code,
    ).toBe("NOT_FOUND");
    expect((await errorOf(owner().providers.test({ orgSlug: f.org.slug } as never)))?.code).toBe(
      "BAD_REQUEST",
    );
    expect(
      (
        await errorOf(
          owner().providers.discoverModels({
            orgSlug: f.org.slug,
            draft: { type: "openai-compatible", baseUrl: upstream.baseUrl },
            apply: "merge",
          }),
        )
      )?.code,
    ).toBe("BAD_REQUEST");
  });
});

describe("SSRF: private upstreams", () => {
  const PRIVATE_URLS = [
    "http://127.0.0.1:11434/v1",
    "http://localhost:8000/v1",
    "http://[::1]:1234/v1",
    "http://169.254.169.254/latest",
    "http://10.0.0.5/v1",
    "http://192.168.1.20:11434/v1",
    "http://metadata.google.internal/v1",
    "http://0x7f000001/v1",
  ];

  it("production refuses private, loopback, link-local and metadata base URLs (create, update, test, discover)", async () => {
    const saved = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "local-llm",
      type: "openai-compatible",
      baseUrl: upstream.baseUrl,
      apiKey: UPSTREAM_KEY,
    });
    const requestsBefore = await upstreamRequests();
    await asProduction(async () => {
      const before = await providerCount(f.org.id);
      for (const baseUrl of PRIVATE_URLS) {
        const err = await errorOf(
          owner().providers.create({
            orgSlug: f.org.slug,
            name: "ssrf",
            type: "openai-compatible",
            baseUrl,
          }),
        );
        expect(err?.code, baseUrl).toBe("BAD_REQUEST");
        expect(err?.message, baseUrl).toMatch(/private, loopback, link-local or metadata/);
        expect(
          (
            await errorOf(
              owner().providers.update({
                orgSlug: f.org.slug,
                id: saved.id,
                baseUrl,
                apiKey: "sk-x-1234",
              }),
            )
          )?.code,
          baseUrl,
        ).toBe("BAD_REQUEST");
      }
      expect(await providerCount(f.org.id)).toBe(before);
      // Saved while allowed, called after the instance stopped allowing it: refused before any request.
      expect(
        (await errorOf(owner().providers.test({ orgSlug: f.org.slug, id: saved.id })))?.code,
      ).toBe("BAD_REQUEST");
      expect(
        (await errorOf(owner().providers.discoverModels({ orgSlug: f.org.slug, id: saved.id })))
          ?.code,
      ).toBe("BAD_REQUEST");
      expect(
        (
          await errorOf(
            owner().providers.test({
              orgSlug: f.org.slug,
              draft: { type: "openai-compatible", baseUrl: upstream.baseUrl, apiKey: UPSTREAM_KEY },
            }),
          )
        )?.code,
      ).toBe("BAD_REQUEST");
      expect((await owner().providers.list({ orgSlug: f.org.slug })).privateUpstreamsAllowed).toBe(
        false,
      );
    });
    expect(await upstreamRequests()).toBe(requestsBefore);
    const row = (
      await db().select().from(schema.orgProviders).where(eq(schema.orgProviders.id, saved.id))
    )[0]!;
    expect(row.baseUrl).toBe(upstream.baseUrl);
    expect(row.lastTestedAt).toBeNull();
  });

  it("a public-looking name resolving to a private address is refused (domain function, injected resolver)", async () => {
    const err = await errorOf(
      createProvider(db(), {
        orgId: f.org.id,
        actor: userActor(f.users.owner),
        input: { name: "rebind", type: "openai-compatible", baseUrl: "https://llm.example.com/v1" },
        policy: { allowPrivate: false, resolve: async () => ["169.254.169.254"] },
      }),
    );
    expect(err?.code).toBe("BAD_REQUEST");
    const ok = await createProvider(db(), {
      orgId: f.org.id,
      actor: userActor(f.users.owner),
      input: {
        name: "public-llm",
        type: "openai-compatible",
        baseUrl: "https://llm.example.com/v1",
      },
      policy: { allowPrivate: false, resolve: async () => ["93.184.215.14"] },
    });
    expect(ok.name).toBe("public-llm");
  });

  it("development allows localhost upstreams (self-hosters run Ollama there)", async () => {
    expect((await owner().providers.list({ orgSlug: f.org.slug })).privateUpstreamsAllowed).toBe(
      true,
    );
    const p = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "ollama",
      type: "openai-compatible",
      baseUrl: "http://localhost:11434/v1",
    });
    expect(p.baseUrl).toBe("http://localhost:11434/v1");
  });
});

describe("test connection and model discovery against the mock upstream", () => {
  it("right key: ok, the model count, recorded on the provider", async () => {
    const p = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "bench",
      type: "openai-compatible",
      baseUrl: upstream.baseUrl,
      apiKey: UPSTREAM_KEY,
    });
    const result = await owner().providers.test({ orgSlug: f.org.slug, id: p.id });
    expect(result).toMatchObject({ ok: true, recorded: true, status: null });
    expect(result.modelCount).toBeGreaterThanOrEqual(5);
    const listed = (await owner().providers.list({ orgSlug: f.org.slug })).org.find(
      (x) => x.id === p.id,
    )!;
    expect(listed.lastTest).toMatchObject({ ok: true, message: null });
    expect(listed.lastTest!.at.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("wrong key: not ok, the upstream's 401 explained, recorded, and the key never echoed", async () => {
    const wrong = "sk-wrong-key-abcdefgh-9876";
    const p = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "bench-wrong",
      type: "openai-compatible",
      baseUrl: upstream.baseUrl,
      apiKey: wrong,
    });
    const result = await owner().providers.test({ orgSlug: f.org.slug, id: p.id });
    expect(result).toMatchObject({ ok: false, status: 401, recorded: true, modelCount: null });
    expect(result.message).toMatch(/401/);
    expect(result.message).toMatch(/Incorrect API key/);
    expect(result.message).not.toContain(wrong);
    const row = (
      await db().select().from(schema.orgProviders).where(eq(schema.orgProviders.id, p.id))
    )[0]!;
    expect(row.lastTestOk).toMatch(/^error: .*401/);
    expect(row.lastTestOk).not.toContain(wrong);
    const listed = (await owner().providers.list({ orgSlug: f.org.slug })).org.find(
      (x) => x.id === p.id,
    )!;
    expect(listed.lastTest).toMatchObject({ ok: false });
    expect(listed.lastTest!.message).toMatch(/401/);

    // No key at all: the upstream says so.
    const keyless = await owner().providers.test({
      orgSlug: f.org.slug,
      draft: { type: "openai-compatible", baseUrl: upstream.baseUrl },
    });
    expect(keyless).toMatchObject({ ok: false, status: 401, recorded: false });
  });

  it("an upstream that is not there: not ok, quickly", async () => {
    const result = await owner().providers.test({
      orgSlug: f.org.slug,
      draft: { type: "openai-compatible", baseUrl: "http://127.0.0.1:9/v1" },
    });
    expect(result.ok).toBe(false);
    expect(result.latencyMs).toBeLessThan(11_000);
  });

  it("drafts are tested without saving anything; a draft on a saved provider borrows its stored key", async () => {
    const p = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "bench-draft",
      type: "openai-compatible",
      baseUrl: upstream.baseUrl,
      apiKey: UPSTREAM_KEY,
    });
    const draft = await owner().providers.test({
      orgSlug: f.org.slug,
      draft: { type: "openai-compatible", baseUrl: upstream.baseUrl, apiKey: UPSTREAM_KEY },
    });
    expect(draft).toMatchObject({ ok: true, recorded: false });
    const borrowed = await owner().providers.test({
      orgSlug: f.org.slug,
      id: p.id,
      draft: { type: "openai", baseUrl: upstream.baseUrl.replace(/\/v1$/, "") },
    });
    expect(borrowed).toMatchObject({ ok: true, recorded: false });
    const row = (
      await db().select().from(schema.orgProviders).where(eq(schema.orgProviders.id, p.id))
    )[0]!;
    expect(row.lastTestedAt).toBeNull();
  });

  it("discovers models: a preview writes nothing; merge keeps what is there; replace swaps the list", async () => {
    const p = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "bench-models",
      type: "openai-compatible",
      baseUrl: upstream.baseUrl,
      apiKey: UPSTREAM_KEY,
      models: ["my-finetune"],
    });
    const preview = await owner().providers.discoverModels({ orgSlug: f.org.slug, id: p.id });
    expect(preview.saved).toBeNull();
    expect(preview.discovered).toEqual(
      expect.arrayContaining(["gpt-4o-mini", "text-embedding-3-small"]),
    );
    expect(preview.removed).toEqual(["my-finetune"]);
    expect(
      (await db().select().from(schema.orgProviders).where(eq(schema.orgProviders.id, p.id)))[0]!
        .models,
    ).toEqual(["my-finetune"]);

    const merged = await owner().providers.discoverModels({
      orgSlug: f.org.slug,
      id: p.id,
      apply: "merge",
    });
    expect(merged.saved![0]).toBe("my-finetune");
    expect(merged.saved).toEqual(expect.arrayContaining(["my-finetune", "gpt-4o-mini"]));
    expect(merged.removed).toEqual([]);

    const replaced = await owner().providers.discoverModels({
      orgSlug: f.org.slug,
      id: p.id,
      apply: "replace",
    });
    expect(replaced.saved).not.toContain("my-finetune");
    expect(replaced.removed).toEqual(["my-finetune"]);
    const row = (
      await db().select().from(schema.orgProviders).where(eq(schema.orgProviders.id, p.id))
    )[0]!;
    expect(row.models).toEqual(replaced.saved);
    expect(row.lastTestOk).toBe("ok");
    const events = await db()
      .select()
      .from(schema.auditEvents)
      .where(
        and(
          eq(schema.auditEvents.orgId, f.org.id),
          eq(schema.auditEvents.action, "provider.discover_models"),
        ),
      );
    expect(events.length).toBe(2);
    expect(JSON.stringify(events)).not.toContain(UPSTREAM_KEY);

    const drafted = await owner().providers.discoverModels({
      orgSlug: f.org.slug,
      draft: { type: "openai-compatible", baseUrl: upstream.baseUrl, apiKey: UPSTREAM_KEY },
    });
    expect(drafted.discovered.length).toBe(preview.discovered.length);
  });

  it("discovery with a wrong key fails with PRECONDITION_FAILED and says why", async () => {
    const err = await errorOf(
      owner().providers.discoverModels({
        orgSlug: f.org.slug,
        draft: {
          type: "openai-compatible",
          baseUrl: upstream.baseUrl,
          apiKey: "sk-nope-nope-1234",
        },
      }),
    );
    expect(err?.code).toBe("PRECONDITION_FAILED");
    expect(err?.message).toMatch(/401/);
    expect(err?.message).not.toContain("sk-nope-nope-1234");
  });

  it("the domain function records nothing for another org's provider id", async () => {
    const other = await makeOrg(db());
    const p = await owner().providers.create({
      orgSlug: f.org.slug,
      name: "bench-cross",
      type: "openai-compatible",
      baseUrl: upstream.baseUrl,
      apiKey: UPSTREAM_KEY,
    });
    const err = await errorOf(
      testProviderConnection(db(), { orgId: other.org.id, input: { id: p.id } }),
    );
    expect(err?.code).toBe("NOT_FOUND");
  });
});
