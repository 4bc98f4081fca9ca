"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { PlusIcon, TrashIcon } from "~/components/icons";
import { Field, Input, Label, Textarea } from "~/components/input";
import { errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { KEY_ENDPOINTS, type KeyEndpoint } from "~/gateway/key-endpoints";
import { EndpointCheckboxes, endpointsToInput } from "./endpoint-checkboxes";
import { expiryFromDateInput, metadataFromRows, parseModelList } from "./key-form-values";

interface MetadataRow {
  id: number;
  key: string;
  value: string;
}

function todayInputValue(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

let nextRowId = 1;
const FORM_ID = "create-api-key-form";

export function CreateApiKeyDialog({
  orgSlug,
  open,
  onClose,
  onCreated,
}: {
  orgSlug: string;
  open: boolean;
  onClose: () => void;
  onCreated: (created: { name: string; secret: string }) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<MetadataRow[]>([]);
  const [localError, setLocalError] = useState<string | null>(null);
  const [endpoints, setEndpoints] = useState<KeyEndpoint[]>([...KEY_ENDPOINTS]);
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey({ orgSlug }) });
      },
    }),
  );
  const errors = fieldErrors(create.error);

  const close = () => {
    create.reset();
    setRows([]);
    setEndpoints([...KEY_ENDPOINTS]);
    setLocalError(null);
    onClose();
  };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setLocalError(null);
    const form = new FormData(event.currentTarget);
    const expires = String(form.get("expiresAt") ?? "");
    const models = parseModelList(String(form.get("allowedModels") ?? ""));
    const meta = metadataFromRows(rows);
    if (!meta.ok) {
      setLocalError(meta.error);
      return;
    }
    if (endpoints.length === 0) {
      setLocalError("Tick at least one endpoint: a key that may call nothing is of no use.");
      return;
    }
    try {
      const result = await create.mutateAsync({
        orgSlug,
        name: String(form.get("name") ?? ""),
        expiresAt: expiryFromDateInput(expires),
        allowedModels: models.length > 0 ? models : null,
        allowedEndpoints: endpointsToInput(endpoints),
        metadata: meta.metadata,
      });
      setRows([]);
      setEndpoints([...KEY_ENDPOINTS]);
      onCreated({ name: result.apiKey.name, secret: result.secret });
    } catch {
      // Shown from create.error.
    }
  }

  const generalError =
    localError ??
    (create.error &&
    !errors.name &&
    !errors.expiresAt &&
    !errors.allowedModels &&
    !errors.allowedEndpoints
      ? errorMessage(create.error)
      : null);

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create API key"
      description="Apps send this key as a Bearer token to call the gateway."
      testId="create-key-dialog"
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          {/* Outside the scrolling body so it stays visible; tied to the form by id. */}
          <Button type="submit" form={FORM_ID} loading={create.isPending}>
            Create key
          </Button>
        </>
      }
    >
      <form id={FORM_ID} onSubmit={onSubmit} className="space-y-5">
        {generalError ? <Alert tone="danger">{generalError}</Alert> : null}
        <Field label="Name" hint="What uses it, e.g. “search-service (prod)”." error={errors.name}>
          {(control) => (
            <Input {...control} name="name" required maxLength={100} autoFocus autoComplete="off" />
          )}
        </Field>
        <Field
          label="Expires"
          optional
          hint="Leave empty for a key that does not expire."
          error={errors.expiresAt}
        >
          {(control) => <Input {...control} name="expiresAt" type="date" min={todayInputValue()} />}
        </Field>
        <Field
          label="Allowed models"
          optional
          hint="Comma or line separated. Leave empty to allow every model."
          error={errors.allowedModels}
        >
          {(control) => (
            <Textarea
              {...control}
              name="allowedModels"
              rows={2}
              placeholder="gpt-4o-mini, claude-sonnet-4-5"
              className="font-mono"
            />
          )}
        </Field>
        <EndpointCheckboxes
          value={endpoints}
          onChange={setEndpoints}
          error={errors.allowedEndpoints}
        />
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-zinc-800">
            Metadata <span className="font-normal text-zinc-500">(optional)</span>
          </legend>
          <p className="text-xs text-zinc-500">
            Key–value tags recorded with every request made with this key, e.g.{" "}
            <code>team=search</code>.
          </p>
          {rows.map((row, i) => (
            <div key={row.id} className="flex items-center gap-2">
              <Label htmlFor={`meta-key-${row.id}`} className="sr-only">
                Metadata key {i + 1}
              </Label>
              <Input
                id={`meta-key-${row.id}`}
                placeholder="key"
                value={row.key}
                maxLength={64}
                className="font-mono"
                onChange={(e) =>
                  setRows((list) =>
                    list.map((r) => (r.id === row.id ? { ...r, key: e.target.value } : r)),
                  )
                }
              />
              <span aria-hidden="true" className="text-zinc-400">
                =
              </span>
              <Label htmlFor={`meta-value-${row.id}`} className="sr-only">
                Metadata value {i + 1}
              </Label>
              <Input
                id={`meta-value-${row.id}`}
                placeholder="value"
                value={row.value}
                maxLength={500}
                className="font-mono"
                onChange={(e) =>
                  setRows((list) =>
                    list.map((r) => (r.id === row.id ? { ...r, value: e.target.value } : r)),
                  )
                }
              />
              <Button
                variant="ghost"
                size="sm"
                aria-label={`Remove metadata entry ${i + 1}`}
                onClick={() => setRows((list) => list.filter((r) => r.id !== row.id))}
              >
                <TrashIcon />
              </Button>
            </div>
          ))}
          <Button
            variant="secondary"
            size="sm"
            icon={<PlusIcon />}
            disabled={rows.length >= 32}
            onClick={() => setRows((list) => [...list, { id: nextRowId++, key: "", value: "" }])}
          >
            Add metadata
          </Button>
        </fieldset>
      </form>
    </Dialog>
  );
}
