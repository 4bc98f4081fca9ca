"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTRPC } from "~/trpc/react";
import type { LogListItem } from "./log-types";

export const LIVE_TAIL_INTERVAL_MS = 2_000;
/**
 * Rows are written in batches (about once a second, per instance), so a row can land a little
 * after a newer one was already shown: each poll looks back this far and merges by id.
 */
const OVERLAP_MS = 30_000;
const MAX_TAIL_ROWS = 500;

export function compareNewestFirst(a: LogListItem, b: LogListItem): number {
  const dt = b.createdAt.getTime() - a.createdAt.getTime();
  return dt !== 0 ? dt : b.id < a.id ? -1 : b.id > a.id ? 1 : 0;
}

/** Rows of both lists, each id once (the newer copy wins), newest first. */
export function mergeRows(newer: LogListItem[], older: LogListItem[]): LogListItem[] {
  const byId = new Map<string, LogListItem>();
  for (const row of older) byId.set(row.id, row);
  for (const row of newer) byId.set(row.id, row);
  return [...byId.values()].sort(compareNewestFirst);
}

type Filters = {
  orgSlug: string;
  keyId?: string;
  model?: string;
  status?: "success" | "error" | number;
  since?: Date;
};

/**
 * While `enabled`, polls every 2 s for rows newer than the newest one shown and collects them.
 * Returns the collected rows (newest first) and which ids arrived since the tail started.
 */
export function useLiveTail(filters: Filters, baseline: LogListItem[] | undefined, enabled: boolean) {
  const trpc = useTRPC();
  const [tail, setTail] = useState<LogListItem[]>([]);
  const filterKey = JSON.stringify(filters);
  const [tailKey, setTailKey] = useState(filterKey);
  // Filters changed or the tail was switched off: start over.
  if ((tailKey !== filterKey || !enabled) && (tail.length > 0 || tailKey !== filterKey)) {
    setTailKey(filterKey);
    setTail([]);
  }

  const newest = tail[0]?.createdAt ?? baseline?.[0]?.createdAt ?? null;
  const lookBack = newest ? new Date(newest.getTime() - OVERLAP_MS) : new Date(Date.now() - OVERLAP_MS);
  // Round to the second so the query key (and its cache entry) changes only when it must.
  const since = new Date(Math.floor(lookBack.getTime() / 1000) * 1000);
  const effectiveSince = filters.since && filters.since > since ? filters.since : since;

  const poll = useQuery(
    trpc.logs.list.queryOptions(
      { ...filters, since: effectiveSince, limit: 200 },
      { enabled, refetchInterval: LIVE_TAIL_INTERVAL_MS, staleTime: 0, refetchOnWindowFocus: false },
    ),
  );

  const known = useMemo(() => new Set((baseline ?? []).map((r) => r.id)), [baseline]);
  // Each poll's answer is merged once, while rendering (derived state, no effect round-trip).
  const [merged, setMerged] = useState<unknown>(null);
  if (enabled && poll.data && poll.data !== merged) {
    setMerged(poll.data);
    const fresh = poll.data.items.filter((r) => !known.has(r.id));
    if (fresh.length > 0) {
      setTail((prev) => {
        const rows = mergeRows(fresh, prev);
        return rows.length > MAX_TAIL_ROWS ? rows.slice(0, MAX_TAIL_ROWS) : rows;
      });
    }
  }

  return { tail, polling: enabled && poll.isFetching, error: enabled ? poll.error : null };
}
