import { createTRPCRouter, scopedProcedure } from "~/server/api/trpc";
import {
  createBudgetInput,
  createTierInput,
  deleteTierInput,
  keyIdInput,
  limitsIdInput,
  listBudgetAlertsInput,
  setKeyLimitsInput,
  setOrgLimitInput,
  updateBudgetInput,
  updateLimitSettingsInput,
  updateTierInput,
} from "../schemas";
import { addDefaultTiers } from "./add-default-tiers";
import { clearKeyLimits } from "./clear-key-limits";
import { createBudget } from "./create-budget";
import { createTier } from "./create-tier";
import { deleteBudget } from "./delete-budget";
import { deleteOrgLimit } from "./delete-org-limit";
import { deleteTier } from "./delete-tier";
import { getLimitsOverview } from "./get-limits-overview";
import { listBudgetAlerts } from "./list-budget-alerts";
import { sendTestAlert } from "./send-test-alert";
import { setKeyLimits } from "./set-key-limits";
import { setOrgLimit } from "./set-org-limit";
import { updateBudget } from "./update-budget";
import { updateLimitSettings } from "./update-limit-settings";
import { updateTier } from "./update-tier";
import { revealWebhookSecret, rotateWebhookSecret } from "./webhook-secret";

const read = () => scopedProcedure("limits:read");
const write = () => scopedProcedure("limits:write");

export const limitsRouter = createTRPCRouter({
  overview: read().query(({ ctx }) => getLimitsOverview(ctx.db, { orgId: ctx.org.id })),
  alerts: read()
    .input(listBudgetAlertsInput)
    .query(({ ctx, input }) => listBudgetAlerts(ctx.db, { orgId: ctx.org.id, limit: input.limit })),

  setOrgLimit: write()
    .input(setOrgLimitInput)
    .mutation(({ ctx, input }) =>
      setOrgLimit(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  deleteOrgLimit: write()
    .input(limitsIdInput)
    .mutation(({ ctx, input }) =>
      deleteOrgLimit(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),

  createTier: write()
    .input(createTierInput)
    .mutation(({ ctx, input }) =>
      createTier(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  updateTier: write()
    .input(updateTierInput)
    .mutation(({ ctx, input }) =>
      updateTier(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  deleteTier: write()
    .input(deleteTierInput)
    .mutation(({ ctx, input }) =>
      deleteTier(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  addDefaultTiers: write().mutation(({ ctx }) =>
    addDefaultTiers(ctx.db, { orgId: ctx.org.id, actor: ctx.actor }),
  ),

  setKeyLimits: write()
    .input(setKeyLimitsInput)
    .mutation(({ ctx, input }) =>
      setKeyLimits(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  clearKeyLimits: write()
    .input(keyIdInput)
    .mutation(({ ctx, input }) =>
      clearKeyLimits(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),

  createBudget: write()
    .input(createBudgetInput)
    .mutation(({ ctx, input }) =>
      createBudget(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  updateBudget: write()
    .input(updateBudgetInput)
    .mutation(({ ctx, input }) =>
      updateBudget(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  deleteBudget: write()
    .input(limitsIdInput)
    .mutation(({ ctx, input }) =>
      deleteBudget(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),

  updateSettings: write()
    .input(updateLimitSettingsInput)
    .mutation(({ ctx, input }) =>
      updateLimitSettings(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input }),
    ),
  sendTestAlert: write().mutation(({ ctx }) =>
    sendTestAlert(ctx.db, { orgId: ctx.org.id, actor: ctx.actor }),
  ),
  revealWebhookSecret: write().mutation(({ ctx }) =>
    revealWebhookSecret(ctx.db, { orgId: ctx.org.id, actor: ctx.actor }),
  ),
  rotateWebhookSecret: write().mutation(({ ctx }) =>
    rotateWebhookSecret(ctx.db, { orgId: ctx.org.id, actor: ctx.actor }),
  ),
});
