import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { users } from "~/server/db/schema";
import { newId } from "~/lib/ids";
import { userActor } from "~/server/domain/actor";
import { createOrganization } from "~/features/orgs/server/create-organization";

/** First OAuth/OIDC sign-in creates the user and an organization they own, like sign-up does. */
export async function findOrCreateOAuthUser(
  db: Db,
  input: { email: string; name: string | null },
): Promise<{ id: string; email: string }> {
  const [existing] = await db.select().from(users).where(eq(users.email, input.email)).limit(1);
  if (existing) return { id: existing.id, email: existing.email };
  const user = { id: newId("usr"), email: input.email, name: input.name };
  await db.insert(users).values(user);
  await createOrganization(db, {
    actor: userActor(user),
    ownerUserId: user.id,
    input: { name: `${input.name ?? input.email.split("@")[0]}'s org` },
  });
  return user;
}
