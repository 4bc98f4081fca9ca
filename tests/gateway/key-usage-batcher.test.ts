import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db";
import { KeyUsageBatcher } from "~/server/gateway/key-usage-batcher";
import { createTestDatabase } from "../helpers/db";
import { insertKey, insertOrg, lastUsedAt } from "./db-fixtures";

let handle: DatabaseHandle;
let orgId: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  orgId = await insertOrg(handle.db);
});
afterAll(async () => {
  await handle.close();
});

describe("KeyUsageBatcher", () => {
  it("writes nothing on touch, then the latest time per key on flush", async () => {
    const a = await insertKey(handle.db, orgId);
    const b = await insertKey(handle.db, orgId);
    let now = Date.parse("2030-05-01T10:00:00Z");
    const batcher = new KeyUsageBatcher(handle.db, { now: () => now });
    batcher.touch(a.id);
    now += 1000;
    batcher.touch(a.id);
    batcher.touch(b.id);
    expect(await lastUsedAt(handle.db, a.id)).toBeNull();
    expect(batcher.pendingCount).toBe(2);
    await batcher.flush();
    expect(batcher.pendingCount).toBe(0);
    expect((await lastUsedAt(handle.db, a.id))!.getTime()).toBe(now);
    expect((await lastUsedAt(handle.db, b.id))!.getTime()).toBe(now);
  });

  it("never moves last-used backwards", async () => {
    const key = await insertKey(handle.db, orgId, { lastUsedAt: new Date("2030-06-01T00:00:00Z") });
    const batcher = new KeyUsageBatcher(handle.db, {
      now: () => Date.parse("2030-05-01T00:00:00Z"),
    });
    batcher.touch(key.id);
    await batcher.flush();
    expect((await lastUsedAt(handle.db, key.id))!.toISOString()).toBe("2030-06-01T00:00:00.000Z");
  });

  it("flushes on its interval and on stop", async () => {
    const a = await insertKey(handle.db, orgId);
    const b = await insertKey(handle.db, orgId);
    const batcher = new KeyUsageBatcher(handle.db, { flushIntervalMs: 30 });
    batcher.start();
    batcher.touch(a.id);
    await expect.poll(() => lastUsedAt(handle.db, a.id), { timeout: 2000 }).not.toBeNull();
    batcher.touch(b.id);
    await batcher.stop();
    expect(await lastUsedAt(handle.db, b.id)).not.toBeNull();
  });

  it("keeps pending times when the database fails", async () => {
    const broken = {
      update: () => {
        throw new Error("connection refused");
      },
    } as unknown as DatabaseHandle["db"];
    const batcher = new KeyUsageBatcher(broken);
    batcher.touch("key_x");
    await batcher.flush();
    expect(batcher.pendingCount).toBe(1);
  });
});
