import { count } from "drizzle-orm";
import type { Db } from "~/server/db";
import { users } from "~/server/db/schema";
import { userActor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { createOrganization } from "~/features/orgs/server/create-organization";
import { acceptInvite } from "~/features/members/server/accept-invite";
import { lookupInvite } from "~/features/members/server/lookup-invite";
import type { SignUpInput } from "../schemas";
import { createUser } from "./create-user";

/**
 * Sign-up: creates the user, then either joins the org of a valid invite or creates an
 * organization the user owns. With sign-up disabled, only the very first user or an invitee may
 * sign up.
 */
export async function signUp(
  db: Db,
  args: { input: SignUpInput; allowSignup: boolean },
): Promise<{ orgSlug: string }> {
  const { input } = args;
  const invite = input.inviteToken ? await lookupInvite(db, { token: input.inviteToken }) : null;
  if (input.inviteToken && (!invite || invite.status !== "pending")) {
    throw new DomainError("BAD_REQUEST", "This invite link is invalid, used, revoked or expired.");
  }
  if (invite && invite.email !== input.email) {
    throw new DomainError("FORBIDDEN", `This invite was sent to ${invite.email}. Sign up with that address.`);
  }
  if (!invite && !args.allowSignup) {
    const [row] = await db.select({ n: count() }).from(users);
    if ((row?.n ?? 0) > 0) {
      throw new DomainError("FORBIDDEN", "Sign-up is disabled on this instance. Ask an admin for an invite.");
    }
  }
  const user = await createUser(db, { input });
  if (invite && input.inviteToken) {
    return acceptInvite(db, { user, input: { token: input.inviteToken } });
  }
  const org = await createOrganization(db, {
    actor: userActor(user),
    ownerUserId: user.id,
    input: { name: input.orgName ?? `${input.name}'s org` },
  });
  return { orgSlug: org.slug };
}
