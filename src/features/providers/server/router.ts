import { createTRPCRouter, scopedProcedure } from "~/server/api/trpc";
import {
  createProviderInput,
  discoverModelsInput,
  probeProviderInput,
  providerIdInput,
  updateProviderInput,
} from "../schemas";
import { createProvider } from "./create-provider";
import { deleteProvider } from "./delete-provider";
import { discoverProviderModels } from "./discover-provider-models";
import { listProviders } from "./list-providers";
import { testProviderConnection } from "./test-provider-connection";
import { updateProvider } from "./update-provider";

export const providersRouter = createTRPCRouter({
  list: scopedProcedure("providers:read").query(({ ctx }) =>
    listProviders(ctx.db, { orgId: ctx.org.id }),
  ),
  create: scopedProcedure("providers:create")
    .input(createProviderInput)
    .mutation(({ ctx, input }) =>
      createProvider(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  update: scopedProcedure("providers:update")
    .input(updateProviderInput)
    .mutation(({ ctx, input }) =>
      updateProvider(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  delete: scopedProcedure("providers:delete")
    .input(providerIdInput)
    .mutation(({ ctx, input }) =>
      deleteProvider(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  // Both call out to the upstream with the org's stored key: the same people who configure it.
  test: scopedProcedure("providers:update")
    .input(probeProviderInput)
    .mutation(({ ctx, input }) => testProviderConnection(ctx.db, { orgId: ctx.org.id, input })),
  discoverModels: scopedProcedure("providers:update")
    .input(discoverModelsInput)
    .mutation(({ ctx, input }) =>
      discoverProviderModels(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
});
