"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Card } from "~/components/card";
import { Field, Input } from "~/components/input";
import { Spinner } from "~/components/spinner";
import { Time } from "~/components/time";
import { useToast } from "~/components/toast";
import { useOrg } from "~/features/shell/components/org-context";
import {
  MAX_REQUEST_LOG_RETENTION_DAYS,
  retentionText,
} from "~/server/org-settings/request-log-retention";
import { errorCode, errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

type OrgSettingsView = { requestLogRetentionDays: number; updatedAt: Date | null };

/** How long request logs are kept: days, or 0 for forever (applied nightly by the retention job). */
export function RequestLogRetentionCard() {
  const org = useOrg();
  const trpc = useTRPC();
  const settings = useQuery(trpc.logs.settings.queryOptions({ orgSlug: org.slug }));
  return (
    <Card title="Request-log retention" id="retention">
      {settings.isPending ? (
        <Spinner label="Loading…" />
      ) : settings.isError ? (
        <Alert tone={errorCode(settings.error) === "FORBIDDEN" ? "info" : "danger"}>
          {errorMessage(settings.error)}
        </Alert>
      ) : (
        // Keyed by the saved value: the field starts over from what the server holds.
        <RetentionForm key={settings.data.requestLogRetentionDays} settings={settings.data} />
      )}
    </Card>
  );
}

function RetentionForm({ settings }: { settings: OrgSettingsView }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const saved = settings.requestLogRetentionDays;
  const [days, setDays] = useState(String(saved));
  const update = useMutation(
    trpc.logs.updateSettings.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.logs.settings.queryKey({ orgSlug: org.slug }), next);
        toast.success(
          next.requestLogRetentionDays === 0
            ? "Request logs will be kept forever."
            : `Request logs will be kept for ${retentionText(next.requestLogRetentionDays)}.`,
        );
      },
    }),
  );
  const canUpdate = org.can("settings:update");
  const parsed = days.trim() === "" ? Number.NaN : Number(days);
  const unchanged = parsed === saved;
  const error =
    fieldErrors(update.error).requestLogRetentionDays ??
    (update.error ? errorMessage(update.error) : null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    update.mutate({ orgSlug: org.slug, requestLogRetentionDays: parsed });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <p className="max-w-2xl text-sm text-zinc-600">
        Request logs older than this are deleted every night, whole days at a time. Usage figures
        and budgets are unaffected: each day is summed into the usage roll-up before its logs are
        removed. Currently{" "}
        <span className="font-medium text-zinc-900">
          {saved === 0 ? "kept forever" : `kept for ${retentionText(saved)}`}
        </span>
        .
      </p>
      <Field
        label="Keep request logs for (days)"
        hint={
          canUpdate ? (
            <>
              0 keeps them forever; at most {MAX_REQUEST_LOG_RETENTION_DAYS} days. See{" "}
              <Link
                href={`/orgs/${org.slug}/logs/settings`}
                className="font-medium text-brand-700 hover:underline"
              >
                logging settings
              </Link>{" "}
              for what each log keeps.
              {settings.updatedAt ? (
                <>
                  {" "}
                  Last changed <Time value={settings.updatedAt} />.
                </>
              ) : null}
            </>
          ) : (
            `Your role (${org.role}) cannot change this; owners and admins can.`
          )
        }
        error={error}
      >
        {(control) => (
          <Input
            {...control}
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_REQUEST_LOG_RETENTION_DAYS}
            step={1}
            value={days}
            required
            disabled={!canUpdate}
            onChange={(e) => setDays(e.target.value)}
            className="max-w-[10rem]"
          />
        )}
      </Field>
      {canUpdate ? (
        <Button
          type="submit"
          loading={update.isPending}
          disabled={unchanged || Number.isNaN(parsed)}
        >
          Save
        </Button>
      ) : null}
    </form>
  );
}
