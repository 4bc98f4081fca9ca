import { createTRPCRouter, scopedProcedure } from "~/server/api/trpc";
import { usageRangeInput, usageSeriesInput, usageTableInput } from "../schemas";
import { resolveUsageRange } from "../usage-range";
import { getUsageSeries } from "./get-usage-series";
import { getUsageTotals } from "./get-usage-totals";
import { listTopKeys } from "./list-top-keys";
import { listUnpricedModels } from "./list-unpriced-models";

export const usageRouter = createTRPCRouter({
  totals: scopedProcedure("usage:read")
    .input(usageRangeInput)
    .query(({ ctx, input }) =>
      getUsageTotals(ctx.db, { orgId: ctx.org.id, range: resolveUsageRange(input) }),
    ),
  series: scopedProcedure("usage:read")
    .input(usageSeriesInput)
    .query(({ ctx, input }) =>
      getUsageSeries(ctx.db, {
        orgId: ctx.org.id,
        range: resolveUsageRange(input),
        by: input.by,
        top: input.top,
      }),
    ),
  topKeys: scopedProcedure("usage:read")
    .input(usageTableInput)
    .query(({ ctx, input }) =>
      listTopKeys(ctx.db, {
        orgId: ctx.org.id,
        range: resolveUsageRange(input),
        limit: input.limit,
      }),
    ),
  unpricedModels: scopedProcedure("usage:read")
    .input(usageTableInput)
    .query(({ ctx, input }) =>
      listUnpricedModels(ctx.db, {
        orgId: ctx.org.id,
        range: resolveUsageRange(input),
        limit: input.limit,
      }),
    ),
});
