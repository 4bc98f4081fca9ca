import { createTRPCRouter, scopedProcedure } from "~/server/api/trpc";
import { apiKeyIdInput, createApiKeyInput, updateApiKeyPermissionsInput } from "../schemas";
import { createApiKey } from "./create-api-key";
import { listApiKeys } from "./list-api-keys";
import { revokeApiKey } from "./revoke-api-key";
import { updateApiKeyPermissions } from "./update-api-key-permissions";

export const apiKeysRouter = createTRPCRouter({
  list: scopedProcedure("keys:read").query(({ ctx }) => listApiKeys(ctx.db, { orgId: ctx.org.id })),
  create: scopedProcedure("keys:create")
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
  updatePermissions: scopedProcedure("keys:create")
    .input(updateApiKeyPermissionsInput)
    .mutation(({ ctx, input }) =>
      updateApiKeyPermissions(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  revoke: scopedProcedure("keys:revoke")
    .input(apiKeyIdInput)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
});
