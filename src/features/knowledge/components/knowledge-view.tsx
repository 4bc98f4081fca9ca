"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "~/components/alert";
import { Badge } from "~/components/badge";
import { Button } from "~/components/button";
import { Card } from "~/components/card";
import { cx } from "~/components/class-names";
import { ConfirmDialog } from "~/components/confirm-dialog";
import { CopyButton } from "~/components/copy-button";
import { EmptyState } from "~/components/empty-state";
import { PlusIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { LoadingBlock } from "~/components/spinner";
import { useToast } from "~/components/toast";
import type { VectorStoreObject } from "~/gateway/knowledge/types";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { KnowledgeDocument } from "../server/list-knowledge-documents";
import { ChunkPreviewDialog } from "./chunk-preview-dialog";
import { CreateStoreDialog } from "./create-store-dialog";
import { DocumentsTable } from "./documents-table";
import { isWorking } from "./document-status";
import { KnowledgeIcon } from "./knowledge-icon";
import { SearchPanel } from "./search-panel";
import { UploadZone } from "./upload-zone";

function StoreList({
  stores,
  selected,
  onSelect,
}: {
  stores: VectorStoreObject[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <nav aria-label="Knowledge bases">
      <ul className="space-y-1.5">
        {stores.map((store) => (
          <li key={store.id}>
            <button
              type="button"
              onClick={() => onSelect(store.id)}
              aria-current={store.id === selected ? "true" : undefined}
              className={cx(
                "w-full rounded-lg border px-3 py-2.5 text-left transition-colors",
                store.id === selected ? "border-brand-300 bg-brand-50" : "border-zinc-200 bg-white hover:bg-zinc-50",
              )}
            >
              <div className="flex items-center justify-between gap-2">
                <span className="truncate text-sm font-medium text-zinc-900">{store.name || store.id}</span>
                {store.status === "in_progress" ? <Badge tone="info">Indexing</Badge> : null}
              </div>
              <div className="mt-0.5 text-xs text-zinc-500">
                {store.file_counts.completed.toLocaleString()} ready
                {store.file_counts.in_progress > 0 ? ` · ${store.file_counts.in_progress} in progress` : ""}
                {store.file_counts.failed > 0 ? ` · ${store.file_counts.failed} failed` : ""}
              </div>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function UsageSnippet({ storeId }: { storeId: string }) {
  const snippet = `curl $SWITCHYARD_URL/v1/chat/completions \\
  -H "Authorization: Bearer $SWITCHYARD_KEY" \\
  -H "x-switchyard-knowledge: ${storeId}" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "How do I reset my password?"}]}'`;
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-800 bg-zinc-950">
      <div className="flex items-center justify-between border-b border-zinc-800 px-3 py-1.5 text-xs font-medium text-zinc-400">
        <span>Answer with citations from this knowledge base</span>
        <CopyButton value={snippet} variant="ghost-inverse" />
      </div>
      <pre className="overflow-x-auto p-4 text-[13px] leading-relaxed text-zinc-100">
        <code>{snippet}</code>
      </pre>
    </div>
  );
}

function StoreDetail({
  store,
  maxBytes,
  canWrite,
  onDeleted,
}: {
  store: VectorStoreObject;
  maxBytes: number;
  canWrite: boolean;
  onDeleted: () => void;
}) {
  const org = useOrg();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [preview, setPreview] = useState<KnowledgeDocument | null>(null);
  const [confirming, setConfirming] = useState(false);
  const documents = useQuery({
    ...trpc.knowledge.documents.queryOptions({ orgSlug: org.slug, storeId: store.id }),
    // Live progress while anything is being ingested; quiet otherwise.
    refetchInterval: (query) => ((query.state.data ?? []).some(isWorking) ? 1000 : false),
  });
  const working = (documents.data ?? []).some(isWorking);
  const deleteStore = useMutation(
    trpc.knowledge.deleteStore.mutationOptions({
      onSuccess: async () => {
        toast.success(`Deleted knowledge base ${store.name}.`);
        setConfirming(false);
        onDeleted();
        await queryClient.invalidateQueries({ queryKey: trpc.knowledge.stores.queryKey({ orgSlug: org.slug }) });
      },
    }),
  );
  const settings = `${store.switchyard.chunk_size.toLocaleString()} chars per passage, ${store.switchyard.chunk_overlap.toLocaleString()} overlap · ${
    store.switchyard.embedding_model ?? "built-in local embedder"
  }`;

  return (
    <div className="min-w-0 space-y-6">
      <Card
        title={store.name || store.id}
        description={
          <>
            <code className="font-mono">{store.id}</code> · {settings}
          </>
        }
        actions={
          canWrite ? (
            <Button variant="ghost-danger" size="sm" onClick={() => setConfirming(true)}>
              Delete
            </Button>
          ) : null
        }
      >
        <div className="space-y-4">
          {canWrite ? <UploadZone orgSlug={org.slug} storeId={store.id} maxBytes={maxBytes} /> : null}
          {documents.isPending ? (
            <LoadingBlock label="Loading documents…" />
          ) : documents.isError ? (
            <Alert tone="danger">{errorMessage(documents.error)}</Alert>
          ) : documents.data.length === 0 ? (
            <p className="py-4 text-center text-sm text-zinc-600" data-testid="documents-empty">
              No documents yet. {canWrite ? "Drop PDFs, Word files, Markdown or text above to index them." : "Developers, admins and owners can add them."}
            </p>
          ) : (
            <>
              {working ? (
                <p className="text-xs text-zinc-500" aria-live="polite">
                  Indexing… this list updates every second.
                </p>
              ) : null}
              <DocumentsTable
                orgSlug={org.slug}
                storeId={store.id}
                documents={documents.data}
                canWrite={canWrite}
                onPreview={setPreview}
              />
            </>
          )}
        </div>
      </Card>
      <Card title="Search" description="Hybrid search: passages close in meaning and passages sharing your words, fused by rank.">
        <SearchPanel orgSlug={org.slug} storeId={store.id} />
      </Card>
      <Card title="Use it from your app" description="The OpenAI SDK's vector_stores API works as is; or let Switchyard retrieve for any chat request:">
        <UsageSnippet storeId={store.id} />
      </Card>
      <ChunkPreviewDialog
        orgSlug={org.slug}
        storeId={store.id}
        doc={preview ? { id: preview.id, filename: preview.filename, chunks: preview.switchyard.chunks } : null}
        onClose={() => setPreview(null)}
      />
      <ConfirmDialog
        open={confirming}
        title={`Delete ${store.name || store.id}?`}
        confirmLabel="Delete knowledge base"
        pending={deleteStore.isPending}
        error={deleteStore.isError ? errorMessage(deleteStore.error) : null}
        onConfirm={() => deleteStore.mutate({ orgSlug: org.slug, storeId: store.id })}
        onClose={() => setConfirming(false)}
      >
        Its passages are deleted and requests naming it will answer 404. Uploaded files stay available to other knowledge bases.
      </ConfirmDialog>
    </div>
  );
}

export function KnowledgeView() {
  const org = useOrg();
  const trpc = useTRPC();
  const canWrite = org.can("knowledge:write");
  const stores = useQuery({
    ...trpc.knowledge.stores.queryOptions({ orgSlug: org.slug }),
    refetchInterval: (query) => (query.state.data?.stores.some((s) => s.status === "in_progress") ? 2000 : false),
  });
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);

  const list = stores.data?.stores ?? [];
  const current = list.find((s) => s.id === selected) ?? list[0] ?? null;
  const newButton = canWrite ? (
    <Button icon={<PlusIcon />} onClick={() => setCreating(true)} disabled={stores.data?.vectorAvailable === false}>
      New knowledge base
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="Knowledge"
        description={
          <>
            Documents your apps can search and answer from. Add the header{" "}
            <code className="font-mono">x-switchyard-knowledge</code> to a chat request and Switchyard injects the
            best passages and returns their citations.
          </>
        }
        actions={newButton}
      />
      {!canWrite ? (
        <Alert tone="info" className="mb-4">
          Your role ({org.role}) can search knowledge bases; developers, admins and owners add and remove documents.
        </Alert>
      ) : null}
      {stores.isPending ? (
        <LoadingBlock label="Loading knowledge bases…" />
      ) : stores.isError ? (
        <Alert tone="danger">{errorMessage(stores.error)}</Alert>
      ) : !stores.data.vectorAvailable ? (
        <Alert tone="warning" title="Knowledge bases need pgvector">
          This instance&apos;s database has no pgvector extension, so documents cannot be indexed. Use the embedded
          database or a Postgres with pgvector 0.5+ (Neon, Supabase, RDS, the pgvector image).
        </Alert>
      ) : list.length === 0 ? (
        <EmptyState
          icon={<KnowledgeIcon className="size-5" />}
          title="No knowledge bases yet"
          description="A knowledge base holds documents (PDF, Word, Markdown, HTML, text), cut into passages and indexed for search. Create one, drop your documents in, then point chat requests at it for answers with citations."
          action={newButton}
        />
      ) : (
        <div className="grid gap-6 lg:grid-cols-[16rem_minmax(0,1fr)]">
          <StoreList stores={list} selected={current?.id ?? null} onSelect={setSelected} />
          {current ? (
            <StoreDetail
              key={current.id}
              store={current}
              maxBytes={stores.data.maxFileBytes}
              canWrite={canWrite}
              onDeleted={() => setSelected(null)}
            />
          ) : null}
        </div>
      )}
      <CreateStoreDialog
        orgSlug={org.slug}
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          setSelected(id);
        }}
      />
    </>
  );
}
