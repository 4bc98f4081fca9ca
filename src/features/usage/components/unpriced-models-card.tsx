import Link from "next/link";
import { Alert } from "~/components/alert";
import { Card } from "~/components/card";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { Time } from "~/components/time";
import type { UnpricedModelRow } from "../usage-types";
import { formatCount } from "./usage-format";

/** Models with no known price: their requests are left out of spend until a price is set. */
export function UnpricedModelsCard({
  rows,
  pricesHref,
}: {
  rows: UnpricedModelRow[];
  pricesHref: string;
}) {
  return (
    <Card
      id="unpriced"
      title="Unpriced models"
      description="Requests to these models have no cost, so spend leaves them out (never counted as $0)."
    >
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-600">Every request in this range had a known price.</p>
      ) : (
        <div className="space-y-4">
          <Alert tone="warning" title="These models have no price">
            Add one on the{" "}
            <Link href={pricesHref} className="font-medium underline hover:no-underline">
              Pricing page
            </Link>{" "}
            to count them in spend from now on (requests already logged keep no cost).
          </Alert>
          <Table label="Unpriced models" bare className="rounded-md border border-zinc-200">
            <THead>
              <TR>
                <TH>Model</TH>
                <TH>Provider</TH>
                <TH className="text-right">Requests</TH>
                <TH className="text-right">Tokens in / out</TH>
                <TH className="text-right">Last seen</TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((row) => (
                <TR key={`${row.model ?? ""}|${row.providerId ?? ""}`} data-testid="unpriced-row">
                  <TD className="max-w-72 truncate font-mono text-xs text-zinc-900">
                    {row.model ?? "(no model)"}
                  </TD>
                  <TD className="text-zinc-600">{row.providerId ?? "—"}</TD>
                  <TD className="text-right tabular-nums">{formatCount(row.requests)}</TD>
                  <TD className="text-right tabular-nums">
                    {formatCount(row.promptTokens)} <span className="text-zinc-400">/</span>{" "}
                    {formatCount(row.completionTokens)}
                  </TD>
                  <TD className="text-right text-zinc-600">
                    <Time value={row.lastSeen} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </Card>
  );
}
