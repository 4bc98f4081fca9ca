import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import type { DatabaseHandle } from "~/server/db";
import { auditEvents, requestLogs, usageRollupDays } from "~/server/db/schema";
import {
  applyRequestLogRetention,
  retentionCutoff,
} from "~/server/request-log/apply-request-log-retention";
import { createTestDatabase } from "../helpers/db";
import { callerFor, makeOrg, type OrgFixture } from "../helpers/factories";
import { logRow } from "../usage/seed";

/*
 * Request-log retention: per-org days (default 30, 0 = forever), whole UTC days, never past the
 * usage roll-up; the setting is validated and audited; another org's rows stay.
 */

const DAY = 86_400_000;
const NOW = new Date("2026-06-15T10:00:00.000Z");
const MIDNIGHT = Date.parse("2026-06-15T00:00:00.000Z");

let handle: DatabaseHandle;
let a: OrgFixture;
let b: OrgFixture;
let c: OrgFixture;

/** Rows at these ages (in days before today's midnight, plus an hour into the day). */
const AGES = [0, 1, 6, 7, 8, 29, 30, 31, 400];

async function seedLogs(orgId: string): Promise<void> {
  await handle.db
    .insert(requestLogs)
    .values(
      AGES.map((age) =>
        logRow(orgId, { id: `${orgId}_${age}`, createdAt: new Date(MIDNIGHT - age * DAY + 3_600_000) }),
      ),
    );
}

async function agesLeft(orgId: string): Promise<number[]> {
  const rows = await handle.db
    .select({ at: requestLogs.createdAt })
    .from(requestLogs)
    .where(eq(requestLogs.orgId, orgId))
    .orderBy(asc(requestLogs.createdAt));
  return rows.map((r) => Math.round((MIDNIGHT + 3_600_000 - r.at.getTime()) / DAY)).reverse();
}

async function rollUpThrough(day: Date): Promise<void> {
  await handle.db.delete(usageRollupDays);
  await handle.db.insert(usageRollupDays).values({ day: new Date(day.getTime() - DAY), rows: 0 });
}

beforeAll(async () => {
  handle = await createTestDatabase();
  a = await makeOrg(handle.db, "Retention A");
  b = await makeOrg(handle.db, "Retention B");
  c = await makeOrg(handle.db, "Retention C");
});
afterAll(async () => {
  await handle?.close();
});
beforeEach(async () => {
  await handle.db.delete(requestLogs);
  for (const f of [a, b, c]) await seedLogs(f.org.id);
});

describe("retentionCutoff", () => {
  it("cuts at a UTC midnight, never past the roll-up, never for 0 days", () => {
    const through = new Date(MIDNIGHT);
    expect(retentionCutoff(7, NOW, through)).toEqual(new Date(MIDNIGHT - 7 * DAY));
    expect(retentionCutoff(7, NOW, new Date(MIDNIGHT - 10 * DAY))).toEqual(new Date(MIDNIGHT - 10 * DAY));
    expect(retentionCutoff(0, NOW, through)).toBeNull();
    expect(retentionCutoff(30, NOW, null)).toBeNull();
  });
});

describe("applyRequestLogRetention", () => {
  it("deletes each org's rows past its own retention; 30 days by default; 0 keeps all", async () => {
    const owner = callerFor(handle.db, a.users.owner);
    await owner.logs.updateSettings({ orgSlug: a.org.slug, requestLogRetentionDays: 7 });
    await callerFor(handle.db, c.users.admin).logs.updateSettings({
      orgSlug: c.org.slug,
      requestLogRetentionDays: 0,
    });
    await rollUpThrough(new Date(MIDNIGHT));
    const results = await applyRequestLogRetention(handle.db, {
      orgIds: [a.org.id, b.org.id, c.org.id],
      now: NOW,
      batchSize: 2,
    });
    expect(results).toEqual([
      { orgId: a.org.id, retentionDays: 7, cutoff: new Date(MIDNIGHT - 7 * DAY).toISOString(), deleted: 5 },
      { orgId: b.org.id, retentionDays: 30, cutoff: new Date(MIDNIGHT - 30 * DAY).toISOString(), deleted: 2 },
      { orgId: c.org.id, retentionDays: 0, cutoff: null, deleted: 0 },
    ]);
    // Whole days: today and the 7 (30) days before it stay; the day before those goes.
    expect(await agesLeft(a.org.id)).toEqual([0, 1, 6, 7]);
    expect(await agesLeft(b.org.id)).toEqual([0, 1, 6, 7, 8, 29, 30]);
    expect(await agesLeft(c.org.id)).toEqual(AGES);
  });

  it("only touches the orgs it is given (another org's old rows stay)", async () => {
    await rollUpThrough(new Date(MIDNIGHT));
    await applyRequestLogRetention(handle.db, { orgIds: [b.org.id], now: NOW });
    expect(await agesLeft(a.org.id)).toEqual(AGES);
    expect(await agesLeft(b.org.id)).toEqual([0, 1, 6, 7, 8, 29, 30]);
  });

  it("keeps days the usage roll-up has not covered yet, and everything before any roll-up", async () => {
    await handle.db.delete(usageRollupDays);
    expect(
      await applyRequestLogRetention(handle.db, { orgIds: [b.org.id], now: NOW }),
    ).toMatchObject([{ deleted: 0, cutoff: null }]);
    // Rolled up through 35 days ago only: rows older than that go, however short the retention.
    await rollUpThrough(new Date(MIDNIGHT - 35 * DAY));
    await applyRequestLogRetention(handle.db, { orgIds: [b.org.id], now: NOW });
    expect(await agesLeft(b.org.id)).toEqual([0, 1, 6, 7, 8, 29, 30, 31]);
  });
});

describe("the retention setting", () => {
  it("is validated, needs settings:update, and is audited", async () => {
    const owner = callerFor(handle.db, b.users.owner);
    for (const bad of [-1, 3651, 1.5]) {
      await expect(
        owner.logs.updateSettings({ orgSlug: b.org.slug, requestLogRetentionDays: bad }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    await expect(owner.logs.updateSettings({ orgSlug: b.org.slug })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      callerFor(handle.db, b.users.developer).logs.updateSettings({
        orgSlug: b.org.slug,
        requestLogRetentionDays: 1,
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Another org's owner cannot change B's setting.
    await expect(
      callerFor(handle.db, a.users.owner).logs.updateSettings({
        orgSlug: b.org.slug,
        requestLogRetentionDays: 1,
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await owner.logs.settings({ orgSlug: b.org.slug })).requestLogRetentionDays).toBe(30);

    const saved = await owner.logs.updateSettings({ orgSlug: b.org.slug, requestLogRetentionDays: 90 });
    expect(saved).toMatchObject({ requestLogRetentionDays: 90, storeBodies: true });
    // Changing one field leaves the other alone.
    const bodiesOff = await owner.logs.updateSettings({ orgSlug: b.org.slug, storeBodies: false });
    expect(bodiesOff).toMatchObject({ requestLogRetentionDays: 90, storeBodies: false });
    const audit = await handle.db
      .select({ summary: auditEvents.summary })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, b.org.id), eq(auditEvents.action, "org_settings.update")));
    expect(audit.map((e) => e.summary)).toContain(
      "Changed request-log retention from 30 days to 90 days",
    );
  });
});
