"use client";

import { useQuery } from "@tanstack/react-query";
import { Alert } from "~/components/alert";
import { PageHeader } from "~/components/page-header";
import { LoadingBlock } from "~/components/spinner";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { AlertsCard } from "./alerts-card";
import { BudgetsCard } from "./budgets-card";
import { KeyLimitsCard } from "./key-limits-card";
import { LimitSettingsCard } from "./limit-settings-card";
import { OrgLimitsCard } from "./org-limits-card";
import { TiersCard } from "./tiers-card";

/** The "Limits & budgets" page: budgets first (money), then rate limits, alerts and settings. */
export function LimitsView() {
  const org = useOrg();
  const trpc = useTRPC();
  const overview = useQuery(trpc.limits.overview.queryOptions({ orgSlug: org.slug }));
  const canWrite = org.can("limits:write");

  return (
    <>
      <PageHeader
        title="Limits & budgets"
        description="Rate limits per organization, model and API key, and spending budgets with alerts. Requests over a limit get HTTP 429 with a Retry-After header."
      />
      {!canWrite ? (
        <Alert tone="info" className="mb-4">
          Your role ({org.role}) can view limits and budgets; owners and admins change them.
        </Alert>
      ) : null}
      {overview.isPending ? (
        <LoadingBlock label="Loading limits…" />
      ) : overview.isError ? (
        <Alert tone="danger">{errorMessage(overview.error)}</Alert>
      ) : (
        <div className="space-y-6">
          <BudgetsCard
            orgSlug={org.slug}
            budgets={overview.data.budgets}
            keys={overview.data.keys}
            canWrite={canWrite}
          />
          <OrgLimitsCard orgSlug={org.slug} limits={overview.data.orgLimits} canWrite={canWrite} />
          <TiersCard orgSlug={org.slug} tiers={overview.data.tiers} canWrite={canWrite} />
          <KeyLimitsCard
            orgSlug={org.slug}
            keys={overview.data.keys}
            tiers={overview.data.tiers}
            orgCacheTtlSeconds={overview.data.settings.cacheTtlSeconds}
            canWrite={canWrite}
          />
          <AlertsCard alerts={overview.data.alerts} />
          <LimitSettingsCard
            orgSlug={org.slug}
            settings={overview.data.settings}
            canWrite={canWrite}
            role={org.role}
          />
        </div>
      )}
    </>
  );
}
