import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "~/server/db/client";
import { auditEvents, orgSettings } from "~/server/db/schema";
import { userActor } from "~/server/domain/actor";
import { createOrgSettingsReader } from "~/server/org-settings/org-settings-reader";
import { getOrgSettings } from "~/server/org-settings/get-org-settings";
import { updateOrgSettings } from "~/server/org-settings/update-org-settings";
import { createTestDatabase } from "../helpers/db";
import { makeOrg } from "../helpers/factories";

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => {
  await handle.close();
});

describe("org settings reader", () => {
  it("defaults to storing bodies when the org has no settings row, and answers from the cache synchronously", async () => {
    const f = await makeOrg(handle.db);
    const reader = createOrgSettingsReader(handle.db, { ttlMs: 60_000 });
    const first = reader.get(f.org.id);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toEqual({ storeBodies: true });
    const second = reader.get(f.org.id);
    expect(second).not.toBeInstanceOf(Promise);
    expect(second).toEqual({ storeBodies: true });
  });

  it("sees a console change at once on this instance (the cache entry is dropped)", async () => {
    const f = await makeOrg(handle.db);
    const reader = createOrgSettingsReader(handle.db, { ttlMs: 60_000 });
    expect(await reader.get(f.org.id)).toEqual({ storeBodies: true });
    await updateOrgSettings(handle.db, {
      orgId: f.org.id,
      actor: userActor(f.users.admin),
      input: { storeBodies: false },
    });
    expect(await reader.get(f.org.id)).toEqual({ storeBodies: false });
    expect(await getOrgSettings(handle.db, { orgId: f.org.id })).toMatchObject({ storeBodies: false });
  });

  it("sees a change made elsewhere (another instance) once its entry expires", async () => {
    const f = await makeOrg(handle.db);
    const reader = createOrgSettingsReader(handle.db, { ttlMs: 150 });
    expect(await reader.get(f.org.id)).toEqual({ storeBodies: true });
    await handle.db.insert(orgSettings).values({ orgId: f.org.id, storeBodies: false });
    expect(await reader.get(f.org.id)).toEqual({ storeBodies: true }); // still cached
    await new Promise((r) => setTimeout(r, 250));
    expect(await reader.get(f.org.id)).toEqual({ storeBodies: false });
  });

  it("keeps orgs apart", async () => {
    const a = await makeOrg(handle.db);
    const b = await makeOrg(handle.db);
    await updateOrgSettings(handle.db, { orgId: a.org.id, actor: userActor(a.users.owner), input: { storeBodies: false } });
    const reader = createOrgSettingsReader(handle.db);
    expect(await reader.get(a.org.id)).toEqual({ storeBodies: false });
    expect(await reader.get(b.org.id)).toEqual({ storeBodies: true });
  });

  it("audits a change, and not a no-op", async () => {
    const f = await makeOrg(handle.db);
    const actor = userActor(f.users.owner);
    const audits = () =>
      handle.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.orgId, f.org.id), eq(auditEvents.action, "org_settings.update")));
    await updateOrgSettings(handle.db, { orgId: f.org.id, actor, input: { storeBodies: true } });
    expect(await audits()).toHaveLength(0);
    await updateOrgSettings(handle.db, { orgId: f.org.id, actor, input: { storeBodies: false } });
    const events = await audits();
    expect(events).toHaveLength(1);
    expect(events[0]!.changes).toEqual({ storeBodies: { from: true, to: false } });
  });
});
