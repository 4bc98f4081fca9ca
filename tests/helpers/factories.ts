import { count, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import * as schema from "~/server/db/schema";
import { createCaller } from "~/server/api/root";
import type { SessionUser } from "~/server/api/trpc";
import { newId } from "~/lib/ids";
import { userActor } from "~/server/domain/actor";
import { createApiKey } from "~/features/api-keys/server/create-api-key";
import { createInvite } from "~/features/members/server/create-invite";

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;

/** A user row (no password: these users act through createCaller, not sign-in). */
export async function makeUser(db: Db, email?: string): Promise<SessionUser> {
  const user = { id: newId("usr"), email: email ?? `user-${unique()}@example.test`, name: "Test User" };
  await db.insert(schema.users).values(user);
  return user;
}

export function callerFor(db: Db, user: SessionUser | null) {
  return createCaller({ db, user, ip: "127.0.0.1", origin: "http://localhost:3000" });
}

export type RoleName = schema.Role;

export interface OrgFixture {
  org: { id: string; slug: string; name: string };
  users: Record<RoleName, SessionUser>;
  memberIds: Record<RoleName, string>;
  /** An extra developer, target for role changes and removals. */
  target: { user: SessionUser; memberId: string };
  keyId: string;
  keySecret: string;
  inviteId: string;
}

/** An org with one member per role, a spare developer, an API key and a pending invite. */
export async function makeOrg(db: Db, name = `Org ${unique()}`): Promise<OrgFixture> {
  const slug = `org-${unique()}`;
  const org = { id: newId("org"), slug, name };
  await db.insert(schema.organizations).values(org);
  const users = {} as Record<RoleName, SessionUser>;
  const memberIds = {} as Record<RoleName, string>;
  for (const role of schema.ROLES) {
    users[role] = await makeUser(db);
    memberIds[role] = newId("mem");
    await db.insert(schema.memberships).values({ id: memberIds[role], orgId: org.id, userId: users[role].id, role });
  }
  const targetUser = await makeUser(db);
  const targetMemberId = newId("mem");
  await db
    .insert(schema.memberships)
    .values({ id: targetMemberId, orgId: org.id, userId: targetUser.id, role: "developer" });
  const key = await createApiKey(db, {
    orgId: org.id,
    actor: userActor(users.owner),
    input: { name: "fixture key" },
  });
  const invite = await createInvite(db, {
    orgId: org.id,
    actor: userActor(users.owner),
    actorRole: "owner",
    ttlHours: 24,
    input: { email: `invitee-${unique()}@example.test`, role: "developer" },
  });
  return {
    org,
    users,
    memberIds,
    target: { user: targetUser, memberId: targetMemberId },
    keyId: key.apiKey.id,
    keySecret: key.secret,
    inviteId: invite.id,
  };
}

/** Row counts of every tenant table, to prove a failed call wrote nothing. */
export async function tableCounts(db: Db, orgId: string) {
  const c = async (table: typeof schema.memberships | typeof schema.invites | typeof schema.apiKeys | typeof schema.auditEvents) =>
    (await db.select({ n: count() }).from(table).where(eq(table.orgId, orgId)))[0]!.n;
  return {
    members: await c(schema.memberships),
    invites: await c(schema.invites),
    keys: await c(schema.apiKeys),
    audit: await c(schema.auditEvents),
  };
}
