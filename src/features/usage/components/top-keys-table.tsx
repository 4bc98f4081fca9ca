import { Badge } from "~/components/badge";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import type { TopKeyRow } from "../usage-types";
import { SpendText } from "./spend-text";
import { formatCompact, formatCount, formatPercent } from "./usage-format";

function ShareBar({ share }: { share: number | null }) {
  if (share === null) return <span className="text-zinc-400">—</span>;
  return (
    <span className="flex items-center justify-end gap-2">
      <span className="h-1.5 w-16 overflow-hidden rounded-full bg-zinc-100" aria-hidden="true">
        <span
          className="block h-full rounded-full bg-brand-500"
          style={{ width: `${Math.max(2, share * 100)}%` }}
        />
      </span>
      <span className="w-11 text-right tabular-nums">{formatPercent(share)}</span>
    </span>
  );
}

/** The keys that spent most over the range. */
export function TopKeysTable({ rows }: { rows: TopKeyRow[] }) {
  return (
    <Table label="Top API keys" bare>
      <THead>
        <TR>
          <TH>Key</TH>
          <TH className="text-right">Requests</TH>
          <TH className="text-right">Tokens in / out</TH>
          <TH className="text-right">Spend</TH>
          <TH className="text-right">Share of spend</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map((row) => (
          <TR key={row.keyId ?? "none"} data-testid="top-key-row">
            <TD className="max-w-64">
              {row.keyId === null ? (
                <span className="text-zinc-500 italic">(no key)</span>
              ) : row.name === null ? (
                <span
                  className="font-mono text-xs text-zinc-500"
                  title="A key this organization no longer has"
                >
                  {row.keyId}
                </span>
              ) : (
                <span className="flex min-w-0 items-center gap-2">
                  <span className="truncate font-medium text-zinc-900">{row.name}</span>
                  <span className="font-mono text-xs text-zinc-500">
                    {row.prefix}…{row.last4}
                  </span>
                  {row.revoked ? <Badge tone="neutral">revoked</Badge> : null}
                </span>
              )}
            </TD>
            <TD className="text-right tabular-nums">{formatCount(row.requests)}</TD>
            <TD
              className="text-right tabular-nums"
              title={`${formatCount(row.promptTokens)} / ${formatCount(row.completionTokens)}`}
            >
              {formatCompact(row.promptTokens)} <span className="text-zinc-400">/</span>{" "}
              {formatCompact(row.completionTokens)}
            </TD>
            <TD className="text-right">
              <SpendText
                spendMicros={row.spendMicros}
                pricedRequests={row.pricedRequests}
                unpricedRequests={row.unpricedRequests}
                compact
              />
            </TD>
            <TD className="text-right text-zinc-600">
              <ShareBar share={row.spendShare} />
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
