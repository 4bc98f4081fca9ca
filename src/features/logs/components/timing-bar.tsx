import { formatMs } from "./log-format";

/**
 * Where the time of one request went: gateway overhead (everything that was not the upstream
 * call: auth, policies, routing, logging hand-off) next to the upstream call, with a marker at
 * the first token. A request that never reached a provider was all gateway; one that did but has
 * no upstream time recorded (some upstream failures) is drawn as an unknown split.
 */
export function TimingBar({
  latencyMs,
  upstreamMs,
  ttftMs,
  reachedProvider,
}: {
  latencyMs: number;
  upstreamMs: number | null;
  ttftMs: number | null;
  reachedProvider: boolean;
}) {
  const total = Math.max(latencyMs, upstreamMs ?? 0, ttftMs ?? 0, 1);
  const unknownSplit = upstreamMs === null && reachedProvider;
  const upstream = upstreamMs ?? 0;
  const overhead = unknownSplit ? 0 : Math.max(0, latencyMs - upstream);
  const pct = (ms: number) => `${Math.min(100, (ms / total) * 100)}%`;
  // Gateway work happens mostly before the upstream call: draw overhead first.
  const ttftLeft = ttftMs === null ? null : pct(ttftMs);
  return (
    <figure className="space-y-2" aria-label="Timing breakdown">
      <div className="relative h-3 w-full overflow-visible rounded-full bg-zinc-100">
        <div className="flex h-full w-full overflow-hidden rounded-full">
          {unknownSplit ? (
            <div className="h-full w-full bg-zinc-300" title={`Total ${formatMs(latencyMs)}; upstream time not recorded`} />
          ) : (
            <>
              <div className="h-full bg-amber-400" style={{ width: pct(overhead) }} title={`Gateway ${formatMs(overhead)}`} />
              <div className="h-full bg-brand-500" style={{ width: pct(upstream) }} title={`Upstream ${formatMs(upstream)}`} />
            </>
          )}
        </div>
        {ttftLeft !== null ? (
          <div
            className="absolute -top-1 -bottom-1 w-0.5 rounded bg-zinc-900"
            style={{ left: ttftLeft }}
            title={`First token at ${formatMs(ttftMs)}`}
          />
        ) : null}
      </div>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600">
        <span className="inline-flex items-center gap-1.5">
          <span className="size-2.5 rounded-sm bg-amber-400" aria-hidden="true" />
          Gateway overhead <strong className="font-medium text-zinc-900">{unknownSplit ? "—" : formatMs(overhead)}</strong>
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span className="size-2.5 rounded-sm bg-brand-500" aria-hidden="true" />
          Upstream <strong className="font-medium text-zinc-900">{upstreamMs === null ? "—" : formatMs(upstream)}</strong>
        </span>
        <span className="inline-flex items-center gap-1.5">
          <span className="h-3 w-0.5 rounded bg-zinc-900" aria-hidden="true" />
          First token <strong className="font-medium text-zinc-900">{formatMs(ttftMs)}</strong>
        </span>
        <span className="ml-auto">
          Total <strong className="font-medium text-zinc-900">{formatMs(latencyMs)}</strong>
        </span>
      </figcaption>
    </figure>
  );
}
