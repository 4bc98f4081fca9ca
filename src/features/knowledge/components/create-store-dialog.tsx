"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { Field, Input } from "~/components/input";
import { useToast } from "~/components/toast";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

/** A new knowledge base: a name, how documents are cut, and which model embeds them. */
export function CreateStoreDialog({
  orgSlug,
  open,
  onClose,
  onCreated,
}: {
  orgSlug: string;
  open: boolean;
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState("");
  const [chunkSize, setChunkSize] = useState("1000");
  const [chunkOverlap, setChunkOverlap] = useState("200");
  const [model, setModel] = useState("");
  const create = useMutation(
    trpc.knowledge.createStore.mutationOptions({
      onSuccess: async (store) => {
        toast.success(`Created knowledge base ${store.name}.`);
        await queryClient.invalidateQueries({ queryKey: trpc.knowledge.stores.queryKey({ orgSlug }) });
        setName("");
        onCreated(store.id);
      },
    }),
  );
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="New knowledge base"
      description="Documents you add are cut into passages, embedded and indexed for search and for answers with citations."
      testId="create-store-dialog"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button
            loading={create.isPending}
            onClick={() =>
              create.mutate({
                orgSlug,
                name,
                chunkSize: Number(chunkSize),
                chunkOverlap: Number(chunkOverlap),
                embeddingModel: model,
              })
            }
          >
            Create
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        {create.isError ? <Alert tone="danger">{errorMessage(create.error)}</Alert> : null}
        <Field label="Name">
          {(control) => (
            <Input {...control} value={name} onChange={(e) => setName(e.target.value)} placeholder="Support handbook" autoFocus />
          )}
        </Field>
        <div className="grid grid-cols-2 gap-4">
          <Field label="Chunk size" hint="Characters per passage (100–8000).">
            {(control) => (
              <Input {...control} type="number" min={100} max={8000} value={chunkSize} onChange={(e) => setChunkSize(e.target.value)} />
            )}
          </Field>
          <Field label="Overlap" hint="Characters shared by neighbours (≤ half the size).">
            {(control) => (
              <Input {...control} type="number" min={0} max={4000} value={chunkOverlap} onChange={(e) => setChunkOverlap(e.target.value)} />
            )}
          </Field>
        </div>
        <Field
          label="Embedding model"
          optional
          hint="provider/model of one of your providers, e.g. openai/text-embedding-3-small. Empty: Switchyard's built-in offline embedder."
        >
          {(control) => (
            <Input {...control} value={model} onChange={(e) => setModel(e.target.value)} placeholder="built-in local embedder" className="font-mono" />
          )}
        </Field>
      </div>
    </Dialog>
  );
}
