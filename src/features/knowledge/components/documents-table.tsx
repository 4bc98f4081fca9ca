"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "~/components/button";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { Time } from "~/components/time";
import { useToast } from "~/components/toast";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { KnowledgeDocument } from "../server/list-knowledge-documents";
import { DocumentStatus } from "./document-status";

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The documents of a knowledge base with their live ingestion state. */
export function DocumentsTable({
  orgSlug,
  storeId,
  documents,
  canWrite,
  onPreview,
}: {
  orgSlug: string;
  storeId: string;
  documents: KnowledgeDocument[];
  canWrite: boolean;
  onPreview: (doc: KnowledgeDocument) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const remove = useMutation(
    trpc.knowledge.removeDocument.mutationOptions({
      onSuccess: () => toast.success("Removed the document."),
      onError: (err) => toast.error(errorMessage(err)),
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.knowledge.documents.queryKey({ orgSlug, storeId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.knowledge.stores.queryKey({ orgSlug }) }),
        ]),
    }),
  );
  return (
    <Table>
      <THead>
        <TR>
          <TH>Document</TH>
          <TH>Status</TH>
          <TH className="text-right">Passages</TH>
          <TH>
            <span className="sr-only">Actions</span>
          </TH>
        </TR>
      </THead>
      <TBody>
        {documents.map((doc) => (
          <TR key={doc.id} data-testid="document-row">
            <TD wrap className="min-w-48">
              <div className="font-medium text-zinc-900">{doc.filename}</div>
              <div className="text-xs text-zinc-500">
                {size(doc.bytes)} · added <Time value={new Date(doc.created_at * 1000)} />
              </div>
              {doc.switchyard.status === "failed" && doc.last_error ? (
                <p className="mt-1 max-w-md text-xs text-red-700">{doc.last_error.message}</p>
              ) : null}
              {doc.switchyard.warnings.length > 0 ? (
                <p className="mt-1 max-w-md text-xs text-amber-700">{doc.switchyard.warnings[0]}</p>
              ) : null}
            </TD>
            <TD>
              <DocumentStatus doc={doc} />
            </TD>
            <TD className="text-right tabular-nums">{doc.switchyard.chunks > 0 ? doc.switchyard.chunks.toLocaleString() : "—"}</TD>
            <TD className="text-right whitespace-nowrap">
              <Button variant="ghost" size="sm" disabled={doc.switchyard.chunks === 0} onClick={() => onPreview(doc)}>
                Preview
              </Button>
              {canWrite ? (
                <Button
                  variant="ghost-danger"
                  size="sm"
                  loading={remove.isPending && remove.variables?.fileId === doc.id}
                  onClick={() => remove.mutate({ orgSlug, storeId, fileId: doc.id })}
                >
                  Remove
                </Button>
              ) : null}
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
