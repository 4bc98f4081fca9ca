import { env } from "~/env";
import { createTRPCRouter, protectedProcedure, publicProcedure, scopedProcedure } from "~/server/api/trpc";
import { acceptInvite } from "./accept-invite";
import { changeMemberRole } from "./change-member-role";
import { createInvite } from "./create-invite";
import { listInvites } from "./list-invites";
import { listMembers } from "./list-members";
import { lookupInvite } from "./lookup-invite";
import { removeMember } from "./remove-member";
import { revokeInvite } from "./revoke-invite";
import { sendInviteEmail } from "./send-invite-email";
import {
  changeRoleInput,
  createInviteInput,
  inviteIdInput,
  inviteTokenInput,
  memberIdInput,
} from "../schemas";

export const membersRouter = createTRPCRouter({
  list: scopedProcedure("members:read").query(async ({ ctx }) =>
    (await listMembers(ctx.db, { orgId: ctx.org.id })).map((m) => ({ ...m, isYou: m.userId === ctx.user.id })),
  ),
  changeRole: scopedProcedure("members:update")
    .input(changeRoleInput)
    .mutation(({ ctx, input }) =>
      changeMemberRole(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, actorRole: ctx.role, input }),
    ),
  remove: scopedProcedure("members:remove")
    .input(memberIdInput)
    .mutation(({ ctx, input }) =>
      removeMember(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, actorRole: ctx.role, input }),
    ),
  // Any member may leave (scope `org:read` is held by every role); the last owner may not.
  leave: scopedProcedure("org:read").mutation(({ ctx }) =>
    removeMember(ctx.db, {
      orgId: ctx.org.id,
      actor: ctx.actor,
      actorRole: ctx.role,
      input: { self: true, userId: ctx.user.id },
    }),
  ),
});

export const invitesRouter = createTRPCRouter({
  list: scopedProcedure("members:read").query(({ ctx }) => listInvites(ctx.db, { orgId: ctx.org.id })),
  create: scopedProcedure("members:invite")
    .input(createInviteInput)
    .mutation(async ({ ctx, input }) => {
      const e = env();
      const invite = await createInvite(ctx.db, {
        orgId: ctx.org.id,
        actor: ctx.actor,
        actorRole: ctx.role,
        ttlHours: e.SWITCHYARD_INVITE_TTL_HOURS,
        input,
      });
      const base = e.SWITCHYARD_PUBLIC_URL ?? ctx.origin ?? `http://localhost:${e.PORT}`;
      const inviteUrl = `${base.replace(/\/$/, "")}/invite/${invite.token}`;
      const emailSent = await sendInviteEmail(
        e.SMTP_URL ? { url: e.SMTP_URL, from: e.SMTP_FROM ?? "Switchyard <no-reply@localhost>" } : null,
        { to: input.email, orgName: ctx.org.name, role: input.role, inviteUrl, invitedBy: ctx.user.email },
      );
      return { id: invite.id, inviteUrl, expiresAt: invite.expiresAt, emailSent };
    }),
  revoke: scopedProcedure("members:invite")
    .input(inviteIdInput)
    .mutation(({ ctx, input }) => revokeInvite(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
  lookup: publicProcedure.input(inviteTokenInput).query(async ({ ctx, input }) => {
    const invite = await lookupInvite(ctx.db, input);
    // The slug is only for after acceptance; an unauthenticated look-up does not reveal it.
    return invite ? { orgName: invite.orgName, email: invite.email, role: invite.role, status: invite.status } : null;
  }),
  accept: protectedProcedure
    .input(inviteTokenInput)
    .mutation(({ ctx, input }) => acceptInvite(ctx.db, { user: ctx.user, input })),
});
