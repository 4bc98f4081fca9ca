import { z } from "zod";
import { createTRPCRouter, orgProcedure, protectedProcedure, scopedProcedure } from "~/server/api/trpc";
import { scopesOf } from "~/server/auth/scopes";
import { invalidateApiKey } from "~/server/gateway/api-key-cache";
import { createOrgInput, orgNameSchema } from "../schemas";
import { createOrganization } from "./create-organization";
import { deleteOrganization } from "./delete-organization";
import { getOrganization } from "./get-organization";
import { renameOrganization } from "./rename-organization";

export const orgsRouter = createTRPCRouter({
  create: protectedProcedure
    .input(createOrgInput)
    .mutation(({ ctx, input }) =>
      createOrganization(ctx.db, { actor: ctx.actor, ownerUserId: ctx.user.id, input }),
    ),
  get: orgProcedure.query(async ({ ctx }) => ({
    ...(await getOrganization(ctx.db, { orgId: ctx.org.id })),
    role: ctx.role,
    scopes: scopesOf(ctx.role),
  })),
  rename: scopedProcedure("org:update")
    .input(z.object({ name: orgNameSchema }))
    .mutation(({ ctx, input }) => renameOrganization(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
  delete: scopedProcedure("org:delete")
    .input(z.object({ confirmSlug: z.string().max(64) }))
    .mutation(async ({ ctx, input }) => {
      const { revokedKeyHashes } = await deleteOrganization(ctx.db, {
        orgId: ctx.org.id,
        actor: ctx.actor,
        input,
      });
      revokedKeyHashes.forEach(invalidateApiKey);
    }),
});
