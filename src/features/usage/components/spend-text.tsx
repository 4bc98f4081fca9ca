import { Badge } from "~/components/badge";
import { formatUsd, formatUsdExact } from "../usd-text";

/**
 * A spend figure that never turns unpriced requests into $0: only-unpriced shows "unpriced",
 * mixed shows the priced amount and how many requests it leaves out.
 */
export function SpendText({
  spendMicros,
  pricedRequests,
  unpricedRequests,
  compact = false,
}: {
  spendMicros: bigint;
  pricedRequests: number;
  unpricedRequests: number;
  /** Tables: the unpriced part as a short badge. */
  compact?: boolean;
}) {
  if (pricedRequests === 0 && unpricedRequests > 0) {
    return (
      <span title="No price is known for these requests' models.">
        <Badge tone="warning">unpriced</Badge>
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-1.5">
      <span className="font-mono tabular-nums" title={formatUsdExact(spendMicros)}>
        {formatUsd(spendMicros)}
      </span>
      {unpricedRequests > 0 ? (
        <span
          title={`${unpricedRequests} unpriced request${unpricedRequests === 1 ? "" : "s"} not included`}
        >
          <Badge tone="warning">
            {compact ? `+${unpricedRequests} unpriced` : `+ ${unpricedRequests} unpriced`}
          </Badge>
        </span>
      ) : null}
    </span>
  );
}
