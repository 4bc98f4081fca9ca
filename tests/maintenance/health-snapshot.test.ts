import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc } from "drizzle-orm";
import type { BreakerSnapshot } from "~/gateway/routing/circuit-breaker";
import type { DatabaseHandle } from "~/server/db/client";
import { healthSnapshots } from "~/server/db/schema";
import { createReadinessProbe } from "~/server/gateway/readiness";
import {
  pruneHealthSnapshots,
  takeHealthSnapshot,
} from "~/server/maintenance/take-health-snapshot";
import { createTestDatabase } from "../helpers/db";

/* Health snapshots: what /readyz reports, breaker counts, degraded states, pruning. */

let handle: DatabaseHandle;
const T0 = new Date("2026-04-01T10:00:00.000Z");

const breaker = (state: BreakerSnapshot["state"]): BreakerSnapshot => ({
  orgId: "org_x",
  providerId: "openai",
  model: "gpt-4o",
  state,
  failures: 0,
  openedAt: null,
  nextProbeAt: null,
});

beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

describe("takeHealthSnapshot", () => {
  it("records the readiness report of the real probe, with breaker counts", async () => {
    const stats = { queued: 1, written: 40, dropped: 0, failedBatches: 0 };
    const probe = createReadinessProbe(handle, () => stats);
    const taken = await takeHealthSnapshot(handle.db, {
      probe,
      breakers: () => [breaker("closed"), breaker("closed"), breaker("half-open")],
      instance: "host:1",
      now: T0,
    });
    expect(taken.status).toBe("ok");
    const [row] = await handle.db.select().from(healthSnapshots);
    expect(row).toMatchObject({
      id: taken.id,
      instance: "host:1",
      status: "ok",
      takenAt: T0,
      report: {
        database: "ok",
        vector: "available",
        requestLog: stats,
        breakers: { closed: 2, open: 0, halfOpen: 1 },
      },
    });
  });

  it("is degraded when logs were dropped, a breaker is open, or the probe fails", async () => {
    const dropped = createReadinessProbe(handle, () => ({ queued: 0, written: 1, dropped: 3, failedBatches: 1 }));
    expect(
      (await takeHealthSnapshot(handle.db, { probe: dropped, instance: "h", now: T0 })).status,
    ).toBe("degraded");
    const fine = createReadinessProbe(handle);
    expect(
      (
        await takeHealthSnapshot(handle.db, {
          probe: fine,
          breakers: () => [breaker("open")],
          instance: "h",
          now: T0,
        })
      ).status,
    ).toBe("degraded");
    const failing = await takeHealthSnapshot(handle.db, {
      probe: () => Promise.reject(new Error("connection refused")),
      instance: "h",
      now: T0,
    });
    expect(failing).toMatchObject({
      status: "degraded",
      report: { database: "unavailable", databaseError: "connection refused" },
    });
  });
});

describe("pruneHealthSnapshots", () => {
  it("deletes snapshots taken before the cutoff only", async () => {
    const probe = createReadinessProbe(handle);
    const later = new Date(T0.getTime() + 3_600_000);
    await takeHealthSnapshot(handle.db, { probe, instance: "h", now: later });
    expect(await pruneHealthSnapshots(handle.db, { before: new Date(T0.getTime() + 1) })).toBe(4);
    const left = await handle.db
      .select({ takenAt: healthSnapshots.takenAt })
      .from(healthSnapshots)
      .orderBy(asc(healthSnapshots.takenAt));
    expect(left).toEqual([{ takenAt: later }]);
  });
});
