import { z } from "zod";
import { ROLES } from "~/server/db/schema";
import { emailSchema } from "~/features/auth/schemas";

export const roleSchema = z.enum(ROLES, { message: `Role must be one of: ${ROLES.join(", ")}` });
export const idSchema = z.string().trim().min(1).max(64);

export const addMemberInput = z.object({ email: emailSchema, role: roleSchema });
export const changeRoleInput = z.object({ memberId: idSchema, role: roleSchema });
export const memberIdInput = z.object({ memberId: idSchema });
export const createInviteInput = z.object({ email: emailSchema, role: roleSchema });
export const inviteIdInput = z.object({ inviteId: idSchema });
export const inviteTokenInput = z.object({ token: z.string().trim().min(1).max(200) });
