"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { Field, Input } from "~/components/input";
import { useToast } from "~/components/toast";
import { errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { TierView } from "../server/tier-view";
import { EMPTY_LIMIT_TEXTS, LimitFields, type LimitTexts } from "./limit-fields";
import { fieldFromNumber, numberFromField } from "./limits-format";

const FORM_ID = "tier-form";

/** Creates or edits a tier. Stays mounted (see BudgetDialog); the form is keyed by the tier. */
export function TierDialog({
  orgSlug,
  open,
  editing,
  onClose,
}: {
  orgSlug: string;
  open: boolean;
  editing: TierView | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const onSuccess = async (saved: TierView) => {
    await queryClient.invalidateQueries({ queryKey: trpc.limits.overview.queryKey({ orgSlug }) });
    toast.success(`Saved tier ${saved.name}.`);
    close();
  };
  const create = useMutation(trpc.limits.createTier.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.limits.updateTier.mutationOptions({ onSuccess }));
  const mutation = editing ? update : create;
  const errors = fieldErrors(mutation.error);
  const general =
    mutation.error && !["name", "rpm", "tpm", "rpd", "concurrent"].some((k) => errors[k])
      ? errorMessage(mutation.error)
      : null;

  function close() {
    create.reset();
    update.reset();
    onClose();
  }

  function submit(name: string, texts: LimitTexts) {
    const input = {
      orgSlug,
      name,
      rpm: numberFromField(texts.rpm),
      tpm: numberFromField(texts.tpm),
      rpd: numberFromField(texts.rpd),
      concurrent: numberFromField(texts.concurrent),
    };
    if (editing) update.mutate({ ...input, id: editing.id });
    else create.mutate(input);
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title={editing ? `Edit tier ${editing.name}` : "New tier"}
      description={
        editing && editing.keyCount > 0
          ? `${editing.keyCount} key${editing.keyCount === 1 ? "" : "s"} use this tier and follow the change at once.`
          : "Keys assigned to a tier get its limits wherever they set none of their own. Empty = no limit."
      }
      testId="tier-dialog"
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" form={FORM_ID} loading={mutation.isPending}>
            {editing ? "Save tier" : "Create tier"}
          </Button>
        </>
      }
    >
      <TierForm
        key={editing?.id ?? "new"}
        editing={editing}
        errors={errors}
        general={general}
        onSubmit={submit}
      />
    </Dialog>
  );
}

function TierForm({
  editing,
  errors,
  general,
  onSubmit,
}: {
  editing: TierView | null;
  errors: Record<string, string | undefined>;
  general: string | null;
  onSubmit: (name: string, texts: LimitTexts) => void;
}) {
  const [name, setName] = useState(editing?.name ?? "");
  const [texts, setTexts] = useState<LimitTexts>(
    editing
      ? {
          rpm: fieldFromNumber(editing.limits.rpm),
          tpm: fieldFromNumber(editing.limits.tpm),
          rpd: fieldFromNumber(editing.limits.rpd),
          concurrent: fieldFromNumber(editing.limits.concurrent),
        }
      : EMPTY_LIMIT_TEXTS,
  );

  function onFormSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(name, texts);
  }

  return (
    <form id={FORM_ID} onSubmit={onFormSubmit} className="space-y-5">
      {general ? <Alert tone="danger">{general}</Alert> : null}
      <Field label="Name" error={errors.name}>
        {(control) => (
          <Input
            {...control}
            name="name"
            required
            maxLength={48}
            autoFocus
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        )}
      </Field>
      <LimitFields values={texts} onChange={setTexts} errors={errors} />
    </form>
  );
}
