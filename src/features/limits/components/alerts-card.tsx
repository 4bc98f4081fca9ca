import { Badge } from "~/components/badge";
import { Card } from "~/components/card";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { Time } from "~/components/time";
import type { BudgetAlertView } from "../server/list-budget-alerts";
import { usd } from "./limits-format";

const WEBHOOK = {
  none: { tone: "neutral", label: "no webhook" },
  sent: { tone: "success", label: "delivered" },
  failed: { tone: "danger", label: "failed" },
} as const;

function budgetLabel(a: BudgetAlertView): string {
  const whose =
    a.scope === "org" ? "Organization" : a.scope === "user" ? "End user" : `Key ${a.keyName ?? ""}`;
  return `${whose} · ${a.period}`;
}

export function AlertsCard({ alerts }: { alerts: BudgetAlertView[] }) {
  return (
    <Card
      id="alerts"
      title="Recent alerts"
      description="Budgets crossing their alert thresholds, newest first. Each threshold fires once per period."
    >
      {alerts.length === 0 ? (
        <p className="text-sm text-zinc-600">
          No alerts yet. When a budget reaches one of its thresholds it shows up here and, if you
          set a webhook URL below, is posted to it.
        </p>
      ) : (
        <div className="-mx-5 -my-4">
          <Table bare label="Recent budget alerts">
            <THead>
              <TR>
                <TH>When</TH>
                <TH>Budget</TH>
                <TH className="text-right">Threshold</TH>
                <TH className="text-right">Spent</TH>
                <TH>Webhook</TH>
              </TR>
            </THead>
            <TBody>
              {alerts.map((a) => (
                <TR key={a.id}>
                  <TD className="text-zinc-600">
                    <Time value={a.createdAt} />
                  </TD>
                  <TD wrap>
                    {budgetLabel(a)}
                    {a.endUser ? (
                      <span className="ml-1 font-mono text-xs text-zinc-500">({a.endUser})</span>
                    ) : null}
                  </TD>
                  <TD className="text-right tabular-nums">{a.thresholdPct}%</TD>
                  <TD className="text-right tabular-nums">
                    {usd(a.spentMicros)}{" "}
                    <span className="text-zinc-500">of {usd(a.amountMicros)}</span>
                  </TD>
                  <TD>
                    <span title={a.webhookError ?? undefined}>
                      <Badge tone={WEBHOOK[a.webhookStatus].tone}>
                        {WEBHOOK[a.webhookStatus].label}
                      </Badge>
                    </span>
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
