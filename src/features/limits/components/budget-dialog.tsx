"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { Field, Input } from "~/components/input";
import { Select } from "~/components/select";
import { useToast } from "~/components/toast";
import { BUDGET_PERIODS, type BudgetPeriod, type BudgetScope } from "~/gateway/limits/types";
import { errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { BudgetView } from "../server/budget-view";
import type { KeyLimitView } from "../server/key-limit-view";
import { numberFromField, PERIOD_LABELS, thresholdsFromField, usdField } from "./limits-format";

const FORM_ID = "budget-form";

const SCOPE_HINTS: Record<BudgetScope, string> = {
  org: "Everything the organization spends.",
  key: "What one API key spends.",
  user: "What each end user spends (the request's user field), each under the same amount.",
};

/**
 * Adds or edits a budget. The dialog stays mounted (a native dialog mounted already open is closed
 * again by React's strict-mode double effects); the form inside is keyed by the budget, so each
 * opening starts from that budget's values.
 */
export function BudgetDialog({
  orgSlug,
  open,
  editing,
  keys,
  onClose,
}: {
  orgSlug: string;
  open: boolean;
  editing: BudgetView | null;
  keys: KeyLimitView[];
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();

  const onSuccess = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.limits.overview.queryKey({ orgSlug }) });
    toast.success(editing ? "Saved the budget." : "Added the budget.");
    close();
  };
  const create = useMutation(trpc.limits.createBudget.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.limits.updateBudget.mutationOptions({ onSuccess }));
  const mutation = editing ? update : create;
  const errors = fieldErrors(mutation.error);
  const known = ["amountUsd", "period", "hard", "alertThresholds", "keyId", "scope"];
  const general =
    mutation.error && !known.some((k) => errors[k]) ? errorMessage(mutation.error) : null;

  function close() {
    create.reset();
    update.reset();
    onClose();
  }

  function submit(values: BudgetFormValues) {
    const common = {
      orgSlug,
      amountUsd: numberFromField(values.amount) as number,
      period: values.period,
      hard: values.hard,
      alertThresholds: thresholdsFromField(values.thresholds),
    };
    if (editing) update.mutate({ ...common, id: editing.id });
    else
      create.mutate({
        ...common,
        scope: values.scope,
        ...(values.scope === "key" ? { keyId: values.keyId } : {}),
      });
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title={editing ? "Edit budget" : "Add budget"}
      description="Spend is counted from priced requests in the current period (UTC)."
      testId="budget-dialog"
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" form={FORM_ID} loading={mutation.isPending}>
            {editing ? "Save budget" : "Add budget"}
          </Button>
        </>
      }
    >
      <BudgetForm
        key={editing?.id ?? "new"}
        editing={editing}
        keys={keys}
        errors={errors}
        general={general}
        onSubmit={submit}
      />
    </Dialog>
  );
}

interface BudgetFormValues {
  scope: BudgetScope;
  keyId: string;
  amount: string;
  period: BudgetPeriod;
  hard: boolean;
  thresholds: string;
}

function BudgetForm({
  editing,
  keys,
  errors,
  general,
  onSubmit,
}: {
  editing: BudgetView | null;
  keys: KeyLimitView[];
  errors: Record<string, string | undefined>;
  general: string | null;
  onSubmit: (values: BudgetFormValues) => void;
}) {
  const [scope, setScope] = useState<BudgetScope>(editing?.scope ?? "org");
  const [keyId, setKeyId] = useState(editing?.keyId ?? keys[0]?.keyId ?? "");
  const [amount, setAmount] = useState(editing ? usdField(editing.amountMicros) : "");
  const [period, setPeriod] = useState<BudgetPeriod>(editing?.period ?? "monthly");
  const [hard, setHard] = useState(editing?.hard ?? true);
  const [thresholds, setThresholds] = useState(
    (editing?.alertThresholds ?? [50, 80, 100]).join(", "),
  );

  function onFormSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit({ scope, keyId, amount, period, hard, thresholds });
  }

  return (
    <form id={FORM_ID} onSubmit={onFormSubmit} className="space-y-5">
      {general ? <Alert tone="danger">{general}</Alert> : null}
      {editing ? (
        <p className="text-sm text-zinc-700">
          Applies to{" "}
          <strong>
            {editing.scope === "org"
              ? "the whole organization"
              : editing.scope === "user"
                ? "each end user"
                : `key ${editing.keyName ?? editing.keyId}`}
          </strong>
          .
        </p>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Applies to" hint={SCOPE_HINTS[scope]} error={errors.scope}>
            {(control) => (
              <Select
                {...control}
                value={scope}
                onChange={(e) => setScope(e.target.value as BudgetScope)}
              >
                <option value="org">Organization</option>
                <option value="key">One API key</option>
                <option value="user">Each end user</option>
              </Select>
            )}
          </Field>
          {scope === "key" ? (
            <Field label="API key" error={errors.keyId}>
              {(control) =>
                keys.length === 0 ? (
                  <p className="text-sm text-zinc-600">This organization has no API keys yet.</p>
                ) : (
                  <Select {...control} value={keyId} onChange={(e) => setKeyId(e.target.value)}>
                    {keys.map((k) => (
                      <option key={k.keyId} value={k.keyId}>
                        {k.name} ({k.prefix}…{k.last4})
                      </option>
                    ))}
                  </Select>
                )
              }
            </Field>
          ) : null}
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Amount (USD)" error={errors.amountUsd}>
          {(control) => (
            <div className="relative">
              <span className="pointer-events-none absolute top-1/2 left-3 -translate-y-1/2 text-sm text-zinc-500">
                $
              </span>
              <Input
                {...control}
                name="amountUsd"
                inputMode="decimal"
                autoComplete="off"
                required
                autoFocus
                className="pl-6"
                placeholder="100.00"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
              />
            </div>
          )}
        </Field>
        <Field label="Period" error={errors.period}>
          {(control) => (
            <Select
              {...control}
              value={period}
              onChange={(e) => setPeriod(e.target.value as BudgetPeriod)}
            >
              {BUDGET_PERIODS.map((p) => (
                <option key={p} value={p}>
                  {PERIOD_LABELS[p]}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-zinc-800">When it is reached</legend>
        <label className="flex items-start gap-2 text-sm text-zinc-700">
          <input
            type="radio"
            name="hard"
            className="mt-0.5"
            checked={hard}
            onChange={() => setHard(true)}
          />
          <span>
            <strong className="font-medium text-zinc-900">Hard</strong>: refuse requests that could
            go over it (HTTP 429 budget_exceeded).
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm text-zinc-700">
          <input
            type="radio"
            name="hard"
            className="mt-0.5"
            checked={!hard}
            onChange={() => setHard(false)}
          />
          <span>
            <strong className="font-medium text-zinc-900">Soft</strong>: keep serving, only send
            alerts.
          </span>
        </label>
      </fieldset>
      <Field
        label="Alert at (% of the amount)"
        hint="Comma separated, 1–100. Each fires once per period."
        error={errors.alertThresholds}
      >
        {(control) => (
          <Input
            {...control}
            name="alertThresholds"
            autoComplete="off"
            value={thresholds}
            onChange={(e) => setThresholds(e.target.value)}
          />
        )}
      </Field>
    </form>
  );
}
