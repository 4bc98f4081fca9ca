import type { Db } from "~/server/db";
import type { BudgetView } from "./budget-view";
import { getLimitSettings, type LimitSettingsView } from "./get-limit-settings";
import type { KeyLimitView } from "./key-limit-view";
import { listBudgetAlerts, type BudgetAlertView } from "./list-budget-alerts";
import { listBudgets } from "./list-budgets";
import { listKeyLimits } from "./list-key-limits";
import { listOrgLimits } from "./list-org-limits";
import { listTiers } from "./list-tiers";
import type { OrgLimitView } from "./org-limit-view";
import type { TierView } from "./tier-view";

export interface LimitsOverview {
  orgLimits: OrgLimitView[];
  tiers: TierView[];
  keys: KeyLimitView[];
  budgets: BudgetView[];
  alerts: BudgetAlertView[];
  settings: LimitSettingsView;
}

/** Everything the "Limits & budgets" page shows, in one round trip. */
export async function getLimitsOverview(db: Db, args: { orgId: string }): Promise<LimitsOverview> {
  const [orgLimits, tiers, keys, budgets, alerts, settings] = await Promise.all([
    listOrgLimits(db, args),
    listTiers(db, args),
    listKeyLimits(db, args),
    listBudgets(db, args),
    listBudgetAlerts(db, { orgId: args.orgId, limit: 20 }),
    getLimitSettings(db, args),
  ]);
  return { orgLimits, tiers, keys, budgets, alerts, settings };
}
