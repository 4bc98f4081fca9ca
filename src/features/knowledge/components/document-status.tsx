import { Badge } from "~/components/badge";
import type { KnowledgeDocument } from "../server/list-knowledge-documents";

/** queued → parsing → chunking → embedding n/N → ready, or failed with its reason. */
export function DocumentStatus({ doc }: { doc: KnowledgeDocument }) {
  const { status, stage, progress } = doc.switchyard;
  if (status === "completed") return <Badge tone="success">Ready</Badge>;
  if (status === "failed") return <Badge tone="danger">Failed</Badge>;
  if (status === "cancelled") return <Badge tone="neutral">Cancelled</Badge>;
  if (status === "queued") return <Badge tone="neutral">Queued</Badge>;
  if (stage === "embedding" && progress.total > 0) {
    const percent = Math.round((100 * progress.done) / progress.total);
    return (
      <div className="w-40" data-testid="document-progress">
        <div className="flex justify-between text-xs text-zinc-600">
          <span>Embedding</span>
          <span className="tabular-nums">
            {progress.done.toLocaleString()}/{progress.total.toLocaleString()}
          </span>
        </div>
        <div
          className="mt-1 h-1.5 overflow-hidden rounded-full bg-zinc-100"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={progress.total}
          aria-valuenow={progress.done}
        >
          <div className="h-full rounded-full bg-brand-600 transition-all" style={{ width: `${percent}%` }} />
        </div>
      </div>
    );
  }
  const label = stage === "parsing" ? "Parsing" : stage === "chunking" ? "Chunking" : stage === "storing" ? "Storing" : "Starting";
  return (
    <Badge tone="info">
      <span className="mr-1.5 inline-block size-1.5 animate-pulse rounded-full bg-sky-500" />
      {label}
    </Badge>
  );
}

export function isWorking(doc: KnowledgeDocument): boolean {
  return doc.switchyard.status === "queued" || doc.switchyard.status === "in_progress";
}
