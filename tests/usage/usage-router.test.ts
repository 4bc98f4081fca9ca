import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db/client";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeUser } from "../helpers/factories";
import { DAY, DAY1, seedUsage, TWO_DAYS, type UsageSeed } from "./seed";

let handle: DatabaseHandle;
let seed: UsageSeed;

beforeAll(async () => {
  handle = await createTestDatabase();
  seed = await seedUsage(handle.db);
});
afterAll(async () => {
  await handle.close();
});

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (err) {
    if (err instanceof TRPCError) return err.code;
    throw err;
  }
}

describe("usage router", () => {
  it("a viewer reads totals, series, top keys and unpriced models of the org", async () => {
    const viewer = callerFor(handle.db, seed.a.users.viewer);
    const orgSlug = seed.a.org.slug;
    const totals = await viewer.usage.totals({ orgSlug, ...TWO_DAYS });
    expect(totals).toMatchObject({
      requests: 8,
      spendMicros: 2_234_580n,
      unpricedRequests: 2,
      savedMicros: 750_001n,
    });
    const series = await viewer.usage.series({ orgSlug, ...TWO_DAYS, by: "provider" });
    expect(series.buckets).toHaveLength(48);
    expect(series.series.map((s) => s.id)).toEqual(["openai", "anthropic", "vllm", "__none__"]);
    const keys = await viewer.usage.topKeys({ orgSlug, ...TWO_DAYS });
    expect(keys.map((k) => k.keyId)).toEqual([
      seed.keys.main,
      seed.keys.batch,
      seed.bKey,
      seed.keys.dev,
    ]);
    const unpriced = await viewer.usage.unpricedModels({ orgSlug, ...TWO_DAYS });
    expect(unpriced.map((u) => [u.model, u.requests])).toEqual([["my-llama", 2]]);
  });

  it("every role has usage:read", async () => {
    for (const role of ["owner", "admin", "developer", "viewer"] as const) {
      const caller = callerFor(handle.db, seed.a.users[role]);
      expect(await code(caller.usage.totals({ orgSlug: seed.a.org.slug, ...TWO_DAYS }))).toBe("OK");
    }
  });

  it("another org's members see their own figures only", async () => {
    const bViewer = callerFor(handle.db, seed.b.users.viewer);
    const totals = await bViewer.usage.totals({ orgSlug: seed.b.org.slug, ...TWO_DAYS });
    expect(totals).toMatchObject({ requests: 2, spendMicros: 1_000_000_000n });
    const keys = await bViewer.usage.topKeys({ orgSlug: seed.b.org.slug, ...TWO_DAYS });
    expect(keys.map((k) => k.keyId)).toEqual([seed.bKey]);
  });

  it("a non-member gets NOT_FOUND for every procedure; signed out is UNAUTHORIZED", async () => {
    const outsider = callerFor(handle.db, await makeUser(handle.db));
    const bOwner = callerFor(handle.db, seed.b.users.owner);
    const orgSlug = seed.a.org.slug;
    for (const caller of [outsider, bOwner]) {
      expect(await code(caller.usage.totals({ orgSlug, ...TWO_DAYS }))).toBe("NOT_FOUND");
      expect(await code(caller.usage.series({ orgSlug, ...TWO_DAYS }))).toBe("NOT_FOUND");
      expect(await code(caller.usage.topKeys({ orgSlug, ...TWO_DAYS }))).toBe("NOT_FOUND");
      expect(await code(caller.usage.unpricedModels({ orgSlug, ...TWO_DAYS }))).toBe("NOT_FOUND");
    }
    expect(await code(callerFor(handle.db, null).usage.totals({ orgSlug, ...TWO_DAYS }))).toBe(
      "UNAUTHORIZED",
    );
  });

  it("bad ranges and inputs are BAD_REQUEST", async () => {
    const viewer = callerFor(handle.db, seed.a.users.viewer);
    const orgSlug = seed.a.org.slug;
    const since = new Date(DAY1);
    const bad: Record<string, Promise<unknown>> = {
      "until before since": viewer.usage.totals({ orgSlug, since, until: new Date(DAY1 - DAY) }),
      "until equals since": viewer.usage.series({ orgSlug, since, until: since }),
      "over 400 days": viewer.usage.topKeys({ orgSlug, since, until: new Date(DAY1 + 401 * DAY) }),
      "since 401 days ago, until now": viewer.usage.totals({
        orgSlug,
        since: new Date(Date.now() - 401 * DAY),
      }),
      "garbage since": viewer.usage.totals({ orgSlug, since: "yesterday-ish" as unknown as Date }),
      "garbage until": viewer.usage.unpricedModels({
        orgSlug,
        since,
        until: "soon" as unknown as Date,
      }),
      "unknown dimension": viewer.usage.series({ orgSlug, ...TWO_DAYS, by: "cost" as "model" }),
      "top 0": viewer.usage.series({ orgSlug, ...TWO_DAYS, top: 0 }),
      "limit 1000": viewer.usage.topKeys({ orgSlug, ...TWO_DAYS, limit: 1000 }),
    };
    for (const [name, call] of Object.entries(bad))
      expect([name, await code(call)]).toEqual([name, "BAD_REQUEST"]);
    // Exactly 400 days is fine.
    expect(
      await code(viewer.usage.totals({ orgSlug, since, until: new Date(DAY1 + 400 * DAY) })),
    ).toBe("OK");
  });
});
