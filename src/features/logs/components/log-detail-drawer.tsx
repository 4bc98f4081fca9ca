"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { Alert } from "~/components/alert";
import { ArrowRightIcon, XIcon } from "~/components/icons";
import { LoadingBlock } from "~/components/spinner";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { LogDetail } from "./log-detail";

/**
 * The detail of one log as a side sheet over the list (a modal `<dialog>`: Escape and the backdrop
 * close it, focus returns to the row).
 */
export function LogDetailDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const org = useOrg();
  const trpc = useTRPC();
  const ref = useRef<HTMLDialogElement>(null);
  const log = useQuery(trpc.logs.get.queryOptions({ orgSlug: org.slug, id: id ?? "" }, { enabled: id !== null }));

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || id === null) return;
    if (!dialog.open) {
      const opener = document.activeElement as HTMLElement | null;
      dialog.showModal();
      return () => {
        if (dialog.open) dialog.close();
        opener?.focus?.();
      };
    }
    return undefined;
  }, [id]);

  if (id === null) return null;
  return (
    <dialog
      ref={ref}
      aria-label="Request details"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === ref.current) onClose();
      }}
      className="fixed inset-y-0 right-0 left-auto m-0 h-dvh max-h-dvh w-full max-w-2xl flex-col border-l border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-zinc-900/30 open:flex"
    >
      <div className="flex shrink-0 items-center justify-between gap-3 border-b border-zinc-100 px-5 py-3.5">
        <h2 className="text-base font-semibold">Request</h2>
        <div className="flex items-center gap-1">
          <Link
            href={`/orgs/${org.slug}/logs/${encodeURIComponent(id)}`}
            className="inline-flex items-center gap-1 rounded-md px-2 py-1 text-sm font-medium text-brand-700 hover:bg-brand-50"
          >
            Open page
            <ArrowRightIcon className="size-3.5" />
          </Link>
          <button
            type="button"
            onClick={onClose}
            className="rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800"
            aria-label="Close"
          >
            <XIcon />
          </button>
        </div>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-5 py-5">
        {log.isPending ? (
          <LoadingBlock label="Loading request…" />
        ) : log.isError ? (
          <Alert tone="danger">{errorMessage(log.error)}</Alert>
        ) : (
          <LogDetail log={log.data} orgSlug={org.slug} />
        )}
      </div>
    </dialog>
  );
}
