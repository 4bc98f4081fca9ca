"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Card } from "~/components/card";
import { Dialog } from "~/components/dialog";
import { PlusIcon, TrashIcon } from "~/components/icons";
import { Field, Input } from "~/components/input";
import { LoadingBlock } from "~/components/spinner";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { useToast } from "~/components/toast";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage, fieldErrors } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

/** Micro-dollars per million tokens → "$0.15" (exact: no float in between). */
function dollars(micros: bigint | null): string {
  if (micros === null) return "—";
  const whole = micros / 1_000_000n;
  const fraction = (micros % 1_000_000n).toString().padStart(6, "0").replace(/0+$/, "");
  return `$${whole}${fraction ? `.${fraction.padEnd(2, "0")}` : ".00"}`;
}

const EMPTY = { model: "", inputPerMTok: "", cachedInputPerMTok: "", outputPerMTok: "" };

function AddPriceForm({ initialModel, models }: { initialModel: string; models: string[] }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [values, setValues] = useState({ ...EMPTY, model: initialModel });
  const save = useMutation(
    trpc.modelPrices.set.mutationOptions({
      onSuccess: (saved) => {
        toast.success(`Price for ${saved.model} saved.`);
        setValues(EMPTY);
        void queryClient.invalidateQueries({ queryKey: trpc.modelPrices.list.queryKey({ orgSlug: org.slug }) });
      },
    }),
  );
  const errors = fieldErrors(save.error);
  const set = (patch: Partial<typeof values>) => setValues((v) => ({ ...v, ...patch }));
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ orgSlug: org.slug, ...values, cachedInputPerMTok: values.cachedInputPerMTok || null });
  }
  const generalError = save.error && Object.keys(errors).length === 0 ? errorMessage(save.error) : null;
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label="Add a custom price">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_auto] lg:items-start">
        <Field label="Model" hint="As served, or provider/model" error={errors.model}>
          {(control) => (
            <>
              <Input
                {...control}
                list="price-model-suggestions"
                placeholder="my-finetuned-model"
                value={values.model}
                onChange={(e) => set({ model: e.target.value })}
                required
                maxLength={200}
              />
              <datalist id="price-model-suggestions">
                {models.map((m) => (
                  <option key={m} value={m} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Input" hint="$ per 1M tokens" error={errors.inputPerMTok}>
          {(control) => (
            <Input {...control} inputMode="decimal" placeholder="0.15" value={values.inputPerMTok} onChange={(e) => set({ inputPerMTok: e.target.value })} required />
          )}
        </Field>
        <Field label="Cached input" hint="Empty: same as input" error={errors.cachedInputPerMTok}>
          {(control) => (
            <Input
              {...control}
              inputMode="decimal"
              placeholder="optional"
              value={values.cachedInputPerMTok}
              onChange={(e) => set({ cachedInputPerMTok: e.target.value })}
            />
          )}
        </Field>
        <Field label="Output" hint="$ per 1M tokens" error={errors.outputPerMTok}>
          {(control) => (
            <Input {...control} inputMode="decimal" placeholder="0.60" value={values.outputPerMTok} onChange={(e) => set({ outputPerMTok: e.target.value })} required />
          )}
        </Field>
        <Button type="submit" loading={save.isPending} icon={<PlusIcon />} className="lg:mt-6">
          Save price
        </Button>
      </div>
      {generalError ? <Alert tone="danger">{generalError}</Alert> : null}
    </form>
  );
}

function RemovePriceDialog({ price, onClose }: { price: { id: string; model: string } | null; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = useMutation(
    trpc.modelPrices.remove.mutationOptions({
      onSuccess: () => {
        toast.success(`Custom price for ${price?.model} removed.`);
        void queryClient.invalidateQueries({ queryKey: trpc.modelPrices.list.queryKey({ orgSlug: org.slug }) });
        onClose();
      },
    }),
  );
  return (
    <Dialog
      open={price !== null}
      onClose={() => {
        remove.reset();
        onClose();
      }}
      size="sm"
      title={`Remove the price for ${price?.model ?? ""}?`}
      description="Requests logged from now on use the catalog price, or show as unpriced when the catalog has none. Costs already recorded stay as they are."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="danger" loading={remove.isPending} onClick={() => price && remove.mutate({ orgSlug: org.slug, id: price.id })}>
            Remove price
          </Button>
        </>
      }
    >
      {remove.error ? <Alert tone="danger">{errorMessage(remove.error)}</Alert> : null}
    </Dialog>
  );
}

/** The org's own model prices (custom, fine-tuned or self-hosted models), in dollars per million tokens. */
export function PriceOverridesCard({ initialModel = "", models = [] }: { initialModel?: string; models?: string[] }) {
  const org = useOrg();
  const trpc = useTRPC();
  const prices = useQuery(trpc.modelPrices.list.queryOptions({ orgSlug: org.slug }));
  const [removing, setRemoving] = useState<{ id: string; model: string } | null>(null);
  const canUpdate = org.can("pricing:update");
  return (
    <Card
      id="prices"
      title="Custom model prices"
      description="Prices for models the bundled catalog does not know (fine-tunes, self-hosted models) or that you pay differently for. They win over the catalog for requests logged from now on."
    >
      <div className="space-y-5">
        {prices.isPending ? (
          <LoadingBlock label="Loading prices…" />
        ) : prices.isError ? (
          <Alert tone="danger">{errorMessage(prices.error)}</Alert>
        ) : prices.data.length === 0 ? (
          <p className="text-sm text-zinc-600">No custom prices yet: every model is priced from the catalog, or shown as unpriced.</p>
        ) : (
          <Table label="Custom model prices" bare className="rounded-md border border-zinc-200">
            <THead>
              <TR>
                <TH>Model</TH>
                <TH className="text-right">Input / 1M</TH>
                <TH className="text-right">Cached input / 1M</TH>
                <TH className="text-right">Output / 1M</TH>
                {canUpdate ? (
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                ) : null}
              </TR>
            </THead>
            <TBody>
              {prices.data.map((p) => (
                <TR key={p.id}>
                  <TD className="font-mono text-xs text-zinc-900">{p.model}</TD>
                  <TD className="text-right font-mono tabular-nums">{dollars(p.inputMicrosPerMTok)}</TD>
                  <TD className="text-right font-mono tabular-nums">
                    {p.cachedInputMicrosPerMTok === null ? <span className="text-zinc-400">= input</span> : dollars(p.cachedInputMicrosPerMTok)}
                  </TD>
                  <TD className="text-right font-mono tabular-nums">{dollars(p.outputMicrosPerMTok)}</TD>
                  {canUpdate ? (
                    <TD className="text-right">
                      <Button variant="ghost-danger" size="sm" icon={<TrashIcon />} onClick={() => setRemoving({ id: p.id, model: p.model })}>
                        Remove
                      </Button>
                    </TD>
                  ) : null}
                </TR>
              ))}
            </TBody>
          </Table>
        )}
        {canUpdate ? (
          <AddPriceForm initialModel={initialModel} models={models} />
        ) : (
          <p className="text-sm text-zinc-500">Your role ({org.role}) cannot change prices; owners and admins can.</p>
        )}
      </div>
      <RemovePriceDialog price={removing} onClose={() => setRemoving(null)} />
    </Card>
  );
}
