import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_TIMEOUTS } from "~/providers/types";
import type { DatabaseHandle } from "~/server/db/client";
import * as schema from "~/server/db/schema";
import { userActor } from "~/server/domain/actor";
import { createProvider } from "~/features/providers/server/create-provider";
import { deleteProvider } from "~/features/providers/server/delete-provider";
import { updateProvider } from "~/features/providers/server/update-provider";
import { InstanceProviderSet } from "~/server/providers/instance-providers";
import { createProviderDirectory, OrgProviderCache } from "~/server/providers/provider-directory";
import { sealProviderApiKey } from "~/server/providers/provider-secrets";
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
  await handle.close();
});

const instance = () =>
  new InstanceProviderSet(
    [
      {
        config: {
          id: "openai",
          type: "openai",
          baseURL: "https://api.openai.com/v1",
          apiKey: "sk-instance",
          timeouts: DEFAULT_TIMEOUTS,
          models: ["gpt-4o"],
        },
        discover: false,
        source: "env",
      },
    ],
    { refreshMs: 60_000 },
  );

async function add(
  orgId: string,
  actor: OrgFixture["users"]["owner"],
  input: Parameters<typeof createProvider>[1]["input"],
) {
  return createProvider(db(), { orgId, actor: userActor(actor), input });
}

describe("provider directory", () => {
  it("lists instance providers first, then the org's own by priority, keys decrypted, nothing of other orgs", async () => {
    await add(a.org.id, a.users.owner, {
      name: "zeta",
      type: "openai-compatible",
      baseUrl: "https://api.together.xyz/v1",
      apiKey: "sk-zeta-1234",
      models: ["m-z"],
      priority: 10,
    });
    await add(a.org.id, a.users.owner, {
      name: "alpha",
      type: "openai-compatible",
      baseUrl: "http://localhost:11434/v1",
      models: ["llama3.2"],
      timeouts: { connectMs: 1500 },
    });
    await add(b.org.id, b.users.owner, {
      name: "other",
      type: "openai-compatible",
      baseUrl: "https://api.groq.com/openai/v1",
      apiKey: "sk-b-secret-9999",
    });

    const directory = createProviderDirectory(db(), {
      instance: instance(),
      cache: new OrgProviderCache({ ttlMs: 5_000 }),
      baseTimeouts: { ...DEFAULT_TIMEOUTS, idleMs: 30_000 },
    });
    const list = await directory.listForOrg(a.org.id);
    expect(list.map((p) => p.id)).toEqual(["openai", "zeta", "alpha"]);
    expect(list[0]!.apiKey).toBe("sk-instance");
    expect(list[1]).toMatchObject({
      type: "openai-compatible",
      baseURL: "https://api.together.xyz/v1",
      apiKey: "sk-zeta-1234",
      models: ["m-z"],
    });
    expect(list[2]!.apiKey).toBeUndefined();
    expect(list[2]!.timeouts).toEqual({ ...DEFAULT_TIMEOUTS, idleMs: 30_000, connectMs: 1500 });
    expect(JSON.stringify(list)).not.toContain("sk-b-secret-9999");

    // The key is encrypted at rest: the row holds neither the key nor anything derived in clear.
    const [row] = await db()
      .select()
      .from(schema.orgProviders)
      .where(eq(schema.orgProviders.name, "zeta"));
    expect(row!.apiKeyEncrypted).toMatch(/^v1:/);
    expect(row!.apiKeyEncrypted).not.toContain("sk-zeta");
    expect(row!.apiKeyLast4).toBe("1234");

    const listB = await directory.listForOrg(b.org.id);
    expect(listB.map((p) => p.id)).toEqual(["openai", "other"]);
  });

  it("caches per org and sees every mutation at once (invalidation), without one", async () => {
    const org = await makeOrg(db());
    const cache = new OrgProviderCache({ ttlMs: 60_000 });
    const directory = createProviderDirectory(db(), { instance: instance(), cache });
    const select = vi.spyOn(db(), "select");
    expect((await directory.listForOrg(org.org.id)).map((p) => p.id)).toEqual(["openai"]);
    await directory.listForOrg(org.org.id);
    expect(select).toHaveBeenCalledTimes(1);
    select.mockRestore();

    // A write behind the domain functions' back stays invisible while cached…
    await db().insert(schema.orgProviders).values({
      id: "prv_sneaky",
      orgId: org.org.id,
      name: "sneaky",
      type: "openai-compatible",
      baseUrl: "https://x.example.com/v1",
    });
    expect((await directory.listForOrg(org.org.id)).map((p) => p.id)).toEqual(["openai"]);

    // …but the shared cache used by the real directory is invalidated by every mutation.
    const shared = createProviderDirectory(db(), { instance: instance() });
    const owner = userActor(org.users.owner);
    expect((await shared.listForOrg(org.org.id)).map((p) => p.id)).toEqual(["openai", "sneaky"]);
    const created = await createProvider(db(), {
      orgId: org.org.id,
      actor: owner,
      input: {
        name: "groq",
        type: "openai-compatible",
        baseUrl: "https://api.groq.com/openai/v1",
        apiKey: "sk-groq-aaaa",
      },
    });
    expect((await shared.listForOrg(org.org.id)).map((p) => p.id)).toEqual([
      "openai",
      "groq",
      "sneaky",
    ]);
    await updateProvider(db(), {
      orgId: org.org.id,
      actor: owner,
      input: { id: created.id, apiKey: "sk-groq-bbbb", priority: 500 },
    });
    const afterUpdate = await shared.listForOrg(org.org.id);
    expect(afterUpdate.map((p) => p.id)).toEqual(["openai", "sneaky", "groq"]);
    expect(afterUpdate.find((p) => p.id === "groq")!.apiKey).toBe("sk-groq-bbbb");
    await deleteProvider(db(), { orgId: org.org.id, actor: owner, input: { id: created.id } });
    expect((await shared.listForOrg(org.org.id)).map((p) => p.id)).toEqual(["openai", "sneaky"]);
  });

  it("cached entries expire after the TTL", async () => {
    const org = await makeOrg(db());
    const directory = createProviderDirectory(db(), {
      instance: instance(),
      cache: new OrgProviderCache({ ttlMs: 100 }),
    });
    await directory.listForOrg(org.org.id);
    await db().insert(schema.orgProviders).values({
      id: "prv_late",
      orgId: org.org.id,
      name: "late",
      type: "openai-compatible",
      baseUrl: "https://x.example.com/v1",
    });
    expect((await directory.listForOrg(org.org.id)).map((p) => p.id)).toEqual(["openai"]);
    await new Promise((r) => setTimeout(r, 150));
    expect((await directory.listForOrg(org.org.id)).map((p) => p.id)).toEqual(["openai", "late"]);
  });

  it("an invalidation during a load wins over the load's (older) answer", async () => {
    const cache = new OrgProviderCache({ ttlMs: 60_000 });
    let release!: () => void;
    const slow = cache.load("org_x", () => new Promise((r) => (release = () => r([]))));
    cache.invalidate("org_x");
    release();
    await slow;
    expect(cache.get("org_x")).toBeUndefined();
  });

  it("skips (and logs) a provider whose key does not decrypt, e.g. a ciphertext copied from another org", async () => {
    const org = await makeOrg(db());
    const sealedForB = sealProviderApiKey("sk-stolen", {
      orgId: b.org.id,
      providerId: "prv_copied",
    });
    await db().insert(schema.orgProviders).values({
      id: "prv_copied",
      orgId: org.org.id,
      name: "copied",
      type: "openai-compatible",
      baseUrl: "https://x.example.com/v1",
      apiKeyEncrypted: sealedForB,
      apiKeyLast4: "olen",
    });
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const list = await createProviderDirectory(db(), {
      instance: instance(),
      cache: new OrgProviderCache({ ttlMs: 0 }),
    }).listForOrg(org.org.id);
    expect(list.map((p) => p.id)).toEqual(["openai"]);
    expect(error.mock.calls.some((c) => String(c[0]).includes("does not decrypt"))).toBe(true);
    error.mockRestore();
  });

  it("the mock provider is part of the default directory outside production", async () => {
    const org = await makeOrg(db());
    const list = await createProviderDirectory(db()).listForOrg(org.org.id);
    const mock = list.find((p) => p.id === "mock");
    expect(mock?.type).toBe("mock");
    expect(mock?.models).toEqual(expect.arrayContaining(["mock-gpt", "mock-embed"]));
  });
});

describe("provider directory on an instance that refuses private upstreams", () => {
  it("marks the org's own providers public-addresses-only (checked at connect time), never the instance's", async () => {
    const org = await makeOrg(db());
    await createProvider(db(), {
      orgId: org.org.id,
      actor: userActor(org.users.owner),
      input: { name: "groq", type: "openai-compatible", baseUrl: "https://api.groq.com/openai/v1" },
    });
    const shared = new InstanceProviderSet(
      [
        ...["env", "config"].map((source, i) => ({
          config: {
            id: `instance-${i}`,
            type: "openai",
            baseURL: "https://api.openai.com/v1",
            timeouts: DEFAULT_TIMEOUTS,
            models: ["gpt-4o"],
          },
          discover: false,
          source: source as "env" | "config",
        })),
        {
          config: {
            id: "mock",
            type: "mock",
            baseURL: "mock://local",
            timeouts: DEFAULT_TIMEOUTS,
            models: ["mock-gpt"],
          },
          discover: false,
          source: "built-in" as const,
        },
      ],
      { refreshMs: 60_000 },
    );
    const flags = async (allowPrivateUpstreams: boolean) =>
      (
        await createProviderDirectory(db(), {
          instance: shared,
          cache: new OrgProviderCache({ ttlMs: 0 }),
          allowPrivateUpstreams,
        }).listForOrg(org.org.id)
      ).map((p) => [p.id, p.publicAddressesOnly]);
    expect(await flags(false)).toEqual([
      ["instance-0", undefined],
      ["instance-1", undefined],
      ["mock", undefined],
      ["groq", true],
    ]);
    expect(await flags(true)).toEqual([
      ["instance-0", undefined],
      ["instance-1", undefined],
      ["mock", undefined],
      ["groq", undefined],
    ]);
  });

  it("drops org providers whose saved host is a private literal (saved while allowed), keeps public ones", async () => {
    const org = await makeOrg(db());
    const owner = userActor(org.users.owner);
    for (const [name, baseUrl] of [
      ["ollama", "http://localhost:11434/v1"],
      ["metadata", "http://169.254.169.254/v1"],
      ["lan", "http://[fd00::5]:8000/v1"],
      ["groq", "https://api.groq.com/openai/v1"],
    ] as const) {
      await createProvider(db(), {
        orgId: org.org.id,
        actor: owner,
        input: { name, type: "openai-compatible", baseUrl },
      });
    }
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const strict = createProviderDirectory(db(), {
      instance: instance(),
      cache: new OrgProviderCache({ ttlMs: 0 }),
      allowPrivateUpstreams: false,
    });
    expect((await strict.listForOrg(org.org.id)).map((p) => p.id)).toEqual(["openai", "groq"]);
    expect(error.mock.calls.filter((c) => String(c[0]).includes("private address")).length).toBe(3);
    error.mockRestore();
    const lax = createProviderDirectory(db(), {
      instance: instance(),
      cache: new OrgProviderCache({ ttlMs: 0 }),
      allowPrivateUpstreams: true,
    });
    expect((await lax.listForOrg(org.org.id)).map((p) => p.id)).toEqual([
      "openai",
      "groq",
      "lan",
      "metadata",
      "ollama",
    ]);
  });
});
