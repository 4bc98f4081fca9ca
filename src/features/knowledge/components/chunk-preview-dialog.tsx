"use client";

import { useQuery } from "@tanstack/react-query";
import { Alert } from "~/components/alert";
import { Dialog } from "~/components/dialog";
import { LoadingBlock } from "~/components/spinner";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

/** The first stored passages of one document, to check how it was cut. */
export function ChunkPreviewDialog({
  orgSlug,
  storeId,
  doc,
  onClose,
}: {
  orgSlug: string;
  storeId: string;
  doc: { id: string; filename: string; chunks: number } | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const chunks = useQuery({
    ...trpc.knowledge.chunks.queryOptions({ orgSlug, storeId, fileId: doc?.id ?? "" }),
    enabled: doc !== null,
  });
  return (
    <Dialog
      open={doc !== null}
      onClose={onClose}
      size="lg"
      title={doc ? `Passages of ${doc.filename}` : ""}
      description={doc ? `${doc.chunks.toLocaleString()} passages; the first ${Math.min(doc.chunks, 50)} are shown.` : undefined}
      testId="chunk-preview"
    >
      {chunks.isPending ? (
        <LoadingBlock label="Loading passages…" />
      ) : chunks.isError ? (
        <Alert tone="danger">{errorMessage(chunks.error)}</Alert>
      ) : chunks.data.length === 0 ? (
        <p className="text-sm text-zinc-600">No passages stored for this document yet.</p>
      ) : (
        <ol className="max-h-[60vh] space-y-3 overflow-y-auto pr-1">
          {chunks.data.map((chunk) => (
            <li key={chunk.position} className="rounded-md border border-zinc-200 bg-zinc-50 p-3">
              <div className="mb-1 flex gap-3 text-xs text-zinc-500">
                <span className="font-mono">#{chunk.position}</span>
                {chunk.heading ? <span className="truncate">§ {chunk.heading}</span> : null}
                {chunk.page ? <span>page {chunk.page}</span> : null}
                <span className="ml-auto tabular-nums">{chunk.text.length.toLocaleString()} chars</span>
              </div>
              <p className="text-sm whitespace-pre-wrap text-zinc-800">{chunk.text}</p>
            </li>
          ))}
        </ol>
      )}
    </Dialog>
  );
}
