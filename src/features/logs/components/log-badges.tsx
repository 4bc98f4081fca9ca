import { Badge } from "~/components/badge";
import { formatMicros, statusTone } from "./log-format";

export function StatusBadge({ status, errorCode }: { status: number; errorCode?: string | null }) {
  return (
    <span title={errorCode ?? undefined}>
      <Badge tone={statusTone(status)} className="font-mono tabular-nums">
        {status}
      </Badge>
    </span>
  );
}

/** A cost, "unpriced" when the model has no known price (never $0), "—" when nothing was used. */
export function CostCell({ costMicros, unpriced }: { costMicros: bigint | null; unpriced: boolean }) {
  if (unpriced) {
    return (
      <span title="No price is known for this model. Add a custom price in Logs → Settings.">
        <Badge tone="warning">unpriced</Badge>
      </span>
    );
  }
  if (costMicros === null) return <span className="text-zinc-400">—</span>;
  return <span className="font-mono tabular-nums">{formatMicros(costMicros)}</span>;
}

const GUARDRAIL_TONES: Record<string, "danger" | "warning" | "info"> = {
  block: "danger",
  reroute: "info",
  mask: "info",
  redact: "info",
  flag: "warning",
};

const GUARDRAIL_LABELS: Record<string, string> = {
  block: "blocked",
  reroute: "rerouted",
  mask: "masked",
  redact: "redacted",
  flag: "flagged",
};

/** What guardrail policies did to the request (the strongest action), nothing when none hit. */
export function GuardrailBadge({ action }: { action: string | null }) {
  if (action === null) return null;
  const label = GUARDRAIL_LABELS[action] ?? action;
  return (
    <span title={`Guardrail policies ${label} this request; open it for the hits.`}>
      <Badge tone={GUARDRAIL_TONES[action] ?? "neutral"}>{label}</Badge>
    </span>
  );
}
