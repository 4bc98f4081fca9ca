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
import type { OrgLimitView } from "../server/org-limit-view";
import { EMPTY_LIMIT_TEXTS, LimitFields, type LimitTexts } from "./limit-fields";
import { fieldFromNumber, numberFromField } from "./limits-format";

const FORM_ID = "org-limit-form";

/** What the dialog edits: an existing row, the org-wide row to create, or a new model row. */
export type OrgLimitTarget = OrgLimitView | { model: null } | { model: "" };

function textsOf(row: OrgLimitView | null): LimitTexts {
  if (!row) return EMPTY_LIMIT_TEXTS;
  return {
    rpm: fieldFromNumber(row.limits.rpm),
    tpm: fieldFromNumber(row.limits.tpm),
    rpd: fieldFromNumber(row.limits.rpd),
    concurrent: fieldFromNumber(row.limits.concurrent),
  };
}

/**
 * Sets the org-wide limits or one model's. Stays mounted (see BudgetDialog); the form inside is
 * keyed by what it edits.
 */
export function OrgLimitDialog({
  orgSlug,
  target,
  onClose,
}: {
  orgSlug: string;
  target: OrgLimitTarget | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const existing = target && "id" in target ? target : null;
  const orgWide = target !== null && target.model === null;
  const save = useMutation(
    trpc.limits.setOrgLimit.mutationOptions({
      onSuccess: async (saved) => {
        await queryClient.invalidateQueries({
          queryKey: trpc.limits.overview.queryKey({ orgSlug }),
        });
        toast.success(
          saved.model ? `Saved the limits of ${saved.model}.` : "Saved the org-wide limits.",
        );
        close();
      },
    }),
  );
  const errors = fieldErrors(save.error);
  const general =
    save.error && !["rpm", "tpm", "rpd", "concurrent", "model"].some((k) => errors[k])
      ? errorMessage(save.error)
      : null;

  function close() {
    save.reset();
    onClose();
  }

  return (
    <Dialog
      open={target !== null}
      onClose={close}
      title={
        orgWide
          ? existing
            ? "Edit org-wide limits"
            : "Set org-wide limits"
          : existing
            ? `Edit limits of ${existing.model}`
            : "Limit a model"
      }
      description={
        orgWide
          ? "Shared by every key of the organization. Empty fields mean no limit."
          : "Shared by every request for this model or route name. Empty fields mean no limit."
      }
      testId="org-limit-dialog"
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button type="submit" form={FORM_ID} loading={save.isPending}>
            Save limits
          </Button>
        </>
      }
    >
      <OrgLimitForm
        key={existing?.id ?? (orgWide ? "org" : "model")}
        existing={existing}
        askModel={!orgWide && !existing}
        errors={errors}
        general={general}
        onSubmit={(model, texts) =>
          save.mutate({
            orgSlug,
            model: orgWide ? null : (existing?.model ?? model),
            rpm: numberFromField(texts.rpm),
            tpm: numberFromField(texts.tpm),
            rpd: numberFromField(texts.rpd),
            concurrent: numberFromField(texts.concurrent),
          })
        }
      />
    </Dialog>
  );
}

function OrgLimitForm({
  existing,
  askModel,
  errors,
  general,
  onSubmit,
}: {
  existing: OrgLimitView | null;
  askModel: boolean;
  errors: Record<string, string | undefined>;
  general: string | null;
  onSubmit: (model: string, texts: LimitTexts) => void;
}) {
  const [model, setModel] = useState(existing?.model ?? "");
  const [texts, setTexts] = useState<LimitTexts>(textsOf(existing));

  function onFormSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(model, texts);
  }

  return (
    <form id={FORM_ID} onSubmit={onFormSubmit} className="space-y-5">
      {general ? <Alert tone="danger">{general}</Alert> : null}
      {askModel ? (
        <Field
          label="Model or route"
          hint="As requests name it, e.g. gpt-4o-mini or a route name."
          error={errors.model}
        >
          {(control) => (
            <Input
              {...control}
              name="model"
              required
              autoFocus
              autoComplete="off"
              className="font-mono"
              value={model}
              onChange={(e) => setModel(e.target.value)}
            />
          )}
        </Field>
      ) : null}
      <LimitFields values={texts} onChange={setTexts} errors={errors} />
    </form>
  );
}
