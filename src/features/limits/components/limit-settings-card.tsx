"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Alert } from "~/components/alert";
import { Card } from "~/components/card";
import { Time } from "~/components/time";
import { useToast } from "~/components/toast";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { LimitSettingsView } from "../server/get-limit-settings";
import { CacheSettings } from "./cache-settings";
import { LimitsSwitch } from "./limits-switch";
import { WebhookSettings } from "./webhook-settings";

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-3 border-t border-zinc-100 pt-5 first:border-t-0 first:pt-0">
      <h3 className="text-sm font-semibold text-zinc-900">{title}</h3>
      {children}
    </section>
  );
}

export function LimitSettingsCard({
  orgSlug,
  settings,
  canWrite,
  role,
}: {
  orgSlug: string;
  settings: LimitSettingsView;
  canWrite: boolean;
  role: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const unpriced = useMutation(
    trpc.limits.updateSettings.mutationOptions({
      onSuccess: async (saved) => {
        await queryClient.invalidateQueries({
          queryKey: trpc.limits.overview.queryKey({ orgSlug }),
        });
        toast.success(
          saved.allowUnpricedUnderHardBudget
            ? "Unpriced models may be called under hard budgets."
            : "Unpriced models are refused under hard budgets.",
        );
      },
    }),
  );
  return (
    <Card
      id="limit-settings"
      title="Settings"
      description={
        <>
          {canWrite
            ? "Apply to new requests within seconds."
            : `Your role (${role}) can view these; owners and admins change them.`}
          {settings.updatedAt ? (
            <>
              {" "}
              Last changed <Time value={settings.updatedAt} />.
            </>
          ) : null}
        </>
      }
    >
      <div className="space-y-5">
        <Section title="Budgets">
          <div className="flex items-start justify-between gap-6">
            <div className="min-w-0">
              <p id="unpriced-label" className="text-sm font-medium text-zinc-900">
                Allow unpriced models under a hard budget
              </p>
              <p id="unpriced-hint" className="text-sm text-zinc-600">
                A model without a known price cannot be counted against a budget. Off: such requests
                are refused while a hard budget applies. On: they are served and count $0.
              </p>
              {unpriced.error ? <Alert tone="danger">{errorMessage(unpriced.error)}</Alert> : null}
            </div>
            <LimitsSwitch
              checked={
                unpriced.isPending
                  ? (unpriced.variables?.allowUnpricedUnderHardBudget ??
                    settings.allowUnpricedUnderHardBudget)
                  : settings.allowUnpricedUnderHardBudget
              }
              disabled={!canWrite || unpriced.isPending}
              labelledBy="unpriced-label"
              describedBy="unpriced-hint"
              onChange={(next) => unpriced.mutate({ orgSlug, allowUnpricedUnderHardBudget: next })}
            />
          </div>
        </Section>
        <Section title="Budget alerts">
          <WebhookSettings orgSlug={orgSlug} settings={settings} canWrite={canWrite} />
        </Section>
        <Section title="Response cache">
          <CacheSettings orgSlug={orgSlug} settings={settings} canWrite={canWrite} />
        </Section>
      </div>
    </Card>
  );
}
