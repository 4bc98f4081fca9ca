"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { Field, Input } from "~/components/input";
import { Select } from "~/components/select";
import { useToast } from "~/components/toast";
import { errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { KeyLimitView } from "../server/key-limit-view";
import type { TierView } from "../server/tier-view";
import { LimitFields, type LimitTexts } from "./limit-fields";
import { durationText, fieldFromNumber, numberFromField } from "./limits-format";

const FORM_ID = "key-limits-form";

interface KeyLimitsFormValues {
  tierId: string;
  texts: LimitTexts;
  ttl: string;
}

/** A key's tier, own limits and cache TTL. Stays mounted (see BudgetDialog); the form is keyed by the key. */
export function KeyLimitsDialog({
  orgSlug,
  keyLimits,
  tiers,
  orgCacheTtlSeconds,
  onClose,
}: {
  orgSlug: string;
  keyLimits: KeyLimitView | null;
  tiers: TierView[];
  orgCacheTtlSeconds: number;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const name = keyLimits?.name ?? "";
  const onSuccess = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.limits.overview.queryKey({ orgSlug }) });
    toast.success(`Saved the limits of ${name}.`);
    close();
  };
  const save = useMutation(trpc.limits.setKeyLimits.mutationOptions({ onSuccess }));
  const clear = useMutation(trpc.limits.clearKeyLimits.mutationOptions({ onSuccess }));
  const errors = fieldErrors(save.error);
  const failed = save.error ?? clear.error;
  const general =
    failed &&
    !["rpm", "tpm", "rpd", "concurrent", "tierId", "cacheTtlSeconds"].some((k) => errors[k])
      ? errorMessage(failed)
      : null;

  function close() {
    save.reset();
    clear.reset();
    onClose();
  }

  function submit(values: KeyLimitsFormValues) {
    if (!keyLimits) return;
    save.mutate({
      orgSlug,
      keyId: keyLimits.keyId,
      tierId: values.tierId || null,
      rpm: numberFromField(values.texts.rpm),
      tpm: numberFromField(values.texts.tpm),
      rpd: numberFromField(values.texts.rpd),
      concurrent: numberFromField(values.texts.concurrent),
      cacheTtlSeconds: numberFromField(values.ttl),
    });
  }

  return (
    <Dialog
      open={keyLimits !== null}
      onClose={close}
      title={`Limits of ${name}`}
      description={
        keyLimits
          ? `${keyLimits.prefix}…${keyLimits.last4} · A value set here wins over the tier's, measure by measure.`
          : undefined
      }
      testId="key-limits-dialog"
      footer={
        <>
          <Button
            variant="ghost-danger"
            className="mr-auto"
            loading={clear.isPending}
            onClick={() => keyLimits && clear.mutate({ orgSlug, keyId: keyLimits.keyId })}
          >
            Remove all
          </Button>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" form={FORM_ID} loading={save.isPending}>
            Save limits
          </Button>
        </>
      }
    >
      {keyLimits ? (
        <KeyLimitsForm
          key={keyLimits.keyId}
          keyLimits={keyLimits}
          tiers={tiers}
          orgCacheTtlSeconds={orgCacheTtlSeconds}
          errors={errors}
          general={general}
          onSubmit={submit}
        />
      ) : null}
    </Dialog>
  );
}

function KeyLimitsForm({
  keyLimits,
  tiers,
  orgCacheTtlSeconds,
  errors,
  general,
  onSubmit,
}: {
  keyLimits: KeyLimitView;
  tiers: TierView[];
  orgCacheTtlSeconds: number;
  errors: Record<string, string | undefined>;
  general: string | null;
  onSubmit: (values: KeyLimitsFormValues) => void;
}) {
  const [tierId, setTierId] = useState(keyLimits.tier?.id ?? "");
  const [texts, setTexts] = useState<LimitTexts>({
    rpm: fieldFromNumber(keyLimits.own.rpm),
    tpm: fieldFromNumber(keyLimits.own.tpm),
    rpd: fieldFromNumber(keyLimits.own.rpd),
    concurrent: fieldFromNumber(keyLimits.own.concurrent),
  });
  const [ttl, setTtl] = useState(fieldFromNumber(keyLimits.cacheTtlSeconds));
  const tier = tiers.find((t) => t.id === tierId) ?? null;

  function onFormSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit({ tierId, texts, ttl });
  }

  return (
    <form id={FORM_ID} onSubmit={onFormSubmit} className="space-y-5">
      {general ? <Alert tone="danger">{general}</Alert> : null}
      <Field
        label="Tier"
        hint={tiers.length === 0 ? "No tiers yet: create them in the Tiers section." : undefined}
        error={errors.tierId}
      >
        {(control) => (
          <Select {...control} value={tierId} onChange={(e) => setTierId(e.target.value)}>
            <option value="">No tier</option>
            {tiers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <LimitFields
        values={texts}
        onChange={setTexts}
        errors={errors}
        inherited={tier?.limits ?? null}
      />
      <Field
        label="Response-cache TTL (seconds)"
        optional
        hint={`Leave empty for the organization's default (${durationText(orgCacheTtlSeconds)}). At most 30 days.`}
        error={errors.cacheTtlSeconds}
      >
        {(control) => (
          <Input
            {...control}
            name="cacheTtlSeconds"
            inputMode="numeric"
            autoComplete="off"
            value={ttl}
            onChange={(e) => setTtl(e.target.value)}
          />
        )}
      </Field>
    </form>
  );
}
