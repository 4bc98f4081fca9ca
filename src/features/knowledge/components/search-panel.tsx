"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { SearchIcon } from "~/components/icons";
import { Input } from "~/components/input";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

/** Try the knowledge base: the same hybrid search apps get from the API and chat requests. */
export function SearchPanel({ orgSlug, storeId }: { orgSlug: string; storeId: string }) {
  const trpc = useTRPC();
  const [query, setQuery] = useState("");
  const search = useMutation(trpc.knowledge.search.mutationOptions());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (query.trim() !== "") search.mutate({ orgSlug, storeId, query });
  };
  return (
    <div>
      <form onSubmit={submit} className="flex gap-2" role="search">
        <Input
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          placeholder="Ask something your documents answer…"
          aria-label="Search this knowledge base"
        />
        <Button type="submit" variant="secondary" icon={<SearchIcon />} loading={search.isPending}>
          Search
        </Button>
      </form>
      {search.isError ? (
        <Alert tone="danger" className="mt-3">
          {errorMessage(search.error)}
        </Alert>
      ) : null}
      {search.data ? (
        search.data.length === 0 ? (
          <p className="mt-4 text-sm text-zinc-600">No passage matches. Try other words, or check that documents are ready.</p>
        ) : (
          <ol className="mt-4 space-y-3" data-testid="search-results">
            {search.data.map((result, i) => (
              <li key={`${result.file_id}-${result.switchyard.chunk}`} className="rounded-md border border-zinc-200 p-3">
                <div className="mb-1 flex items-center gap-2 text-xs text-zinc-500">
                  <span className="font-semibold text-zinc-900">[{i + 1}]</span>
                  <span className="truncate font-medium text-zinc-700">{result.filename}</span>
                  <span className="font-mono">#{result.switchyard.chunk}</span>
                  <span className="ml-auto tabular-nums" title="Fused rank score: 1 = first for both meaning and words">
                    score {result.score.toFixed(2)}
                  </span>
                </div>
                <p className="max-h-48 overflow-y-auto text-sm whitespace-pre-line text-zinc-800">{result.content[0]?.text}</p>
              </li>
            ))}
          </ol>
        )
      ) : null}
    </div>
  );
}
