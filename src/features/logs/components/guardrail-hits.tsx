import { Badge } from "~/components/badge";
import type { GuardHit } from "~/gateway/guardrails/policy";

const TONE: Record<string, "danger" | "warning" | "info" | "neutral"> = {
  block: "danger",
  flag: "warning",
  redact: "info",
  mask: "info",
  reroute: "info",
};

/** A request's guardrail hits: which policy and rule found what, where, and what was done. */
export function GuardrailHits({ hits }: { hits: readonly GuardHit[] }) {
  return (
    <ol className="divide-y divide-zinc-100 rounded-md border border-zinc-200 text-sm">
      {hits.map((h, i) => (
        <li key={i} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2">
          <Badge tone={TONE[h.action] ?? "neutral"}>{h.action}</Badge>
          <span className="font-mono text-zinc-900">{h.label}</span>
          <span className="min-w-0 flex-1 truncate text-zinc-600">
            {h.policyName ?? h.policy} <span className="text-zinc-400">·</span> rule{" "}
            <code className="font-mono text-xs">{h.rule}</code>
          </span>
          <span className="font-mono text-xs text-zinc-500">
            {h.stage} · {h.location}
            {h.end > h.start ? ` ${h.start}–${h.end}` : ""}
          </span>
          <span className="font-mono text-xs text-zinc-400">{h.detector}</span>
        </li>
      ))}
    </ol>
  );
}
