"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type DragEvent } from "react";
import { cx } from "~/components/class-names";
import { useToast } from "~/components/toast";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

const ACCEPT = ".pdf,.docx,.md,.markdown,.txt,.html,.htm,.csv,.json,.jsonl";

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = "";
  // In slices: String.fromCharCode with millions of arguments overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Drop files here (or pick them): each one is uploaded and queued for ingestion. */
export function UploadZone({ orgSlug, storeId, maxBytes }: { orgSlug: string; storeId: string; maxBytes: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [sending, setSending] = useState(0);
  const upload = useMutation(trpc.knowledge.upload.mutationOptions());

  async function send(files: File[]) {
    for (const file of files) {
      if (file.size > maxBytes) {
        toast.error(`${file.name} is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit.`);
        continue;
      }
      setSending((n) => n + 1);
      try {
        await upload.mutateAsync({
          orgSlug,
          storeId,
          filename: file.name,
          contentType: file.type || null,
          base64: toBase64(await file.arrayBuffer()),
        });
        await queryClient.invalidateQueries({ queryKey: trpc.knowledge.documents.queryKey({ orgSlug, storeId }) });
      } catch (err) {
        toast.error(`${file.name}: ${errorMessage(err)}`);
      } finally {
        setSending((n) => n - 1);
      }
    }
    await queryClient.invalidateQueries({ queryKey: trpc.knowledge.stores.queryKey({ orgSlug }) });
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void send([...e.dataTransfer.files]);
  };

  return (
    <div
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      data-testid="upload-zone"
      className={cx(
        "flex flex-col items-center justify-center rounded-lg border-2 border-dashed px-6 py-6 text-center transition-colors",
        over ? "border-brand-500 bg-brand-50" : "border-zinc-300 bg-zinc-50/50",
      )}
    >
      <p className="text-sm text-zinc-700">
        <span className="font-medium">Drop documents here</span> or{" "}
        <button type="button" className="font-medium text-brand-700 underline-offset-2 hover:underline" onClick={() => input.current?.click()}>
          choose files
        </button>
      </p>
      <p className="mt-1 text-xs text-zinc-500">
        PDF, Word (.docx), Markdown, HTML or text · up to {Math.round(maxBytes / 1024 / 1024)} MB each
        {sending > 0 ? ` · uploading ${sending}…` : ""}
      </p>
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPT}
        className="sr-only"
        aria-label="Upload documents"
        onChange={(e) => {
          void send([...(e.target.files ?? [])]);
          e.target.value = "";
        }}
      />
    </div>
  );
}
