import { createTRPCRouter, scopedProcedure } from "~/server/api/trpc";
import { modelPriceIdInput, setModelPriceInput } from "../schemas";
import { listModelPrices } from "./list-model-prices";
import { removeModelPrice } from "./remove-model-price";
import { setModelPrice } from "./set-model-price";

export const modelPricesRouter = createTRPCRouter({
  list: scopedProcedure("logs:read").query(({ ctx }) => listModelPrices(ctx.db, { orgId: ctx.org.id })),
  set: scopedProcedure("pricing:update")
    .input(setModelPriceInput)
    .mutation(({ ctx, input }) => setModelPrice(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
  remove: scopedProcedure("pricing:update")
    .input(modelPriceIdInput)
    .mutation(({ ctx, input }) => removeModelPrice(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
});
