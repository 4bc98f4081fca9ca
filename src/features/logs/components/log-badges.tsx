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
