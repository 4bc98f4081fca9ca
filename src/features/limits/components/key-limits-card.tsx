"use client";

import { useState } from "react";
import { Badge } from "~/components/badge";
import { Button, ButtonLink } from "~/components/button";
import { Card } from "~/components/card";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import type { KeyLimitView } from "../server/key-limit-view";
import type { TierView } from "../server/tier-view";
import { KeyLimitsDialog } from "./key-limits-dialog";
import { durationText, limitText, MEASURES } from "./limits-format";

/** One effective measure: the key's own value in bold, the tier's in grey. */
function MeasureCell({
  k,
  measure,
}: {
  k: KeyLimitView;
  measure: (typeof MEASURES)[number]["key"];
}) {
  const own = k.own[measure];
  const value = k.effective?.[measure] ?? null;
  return (
    <td
      className={`px-4 py-3 text-right whitespace-nowrap tabular-nums ${
        value === null
          ? "text-zinc-400"
          : own !== null
            ? "font-medium text-zinc-900"
            : "text-zinc-500"
      }`}
      title={value === null ? "No limit" : own !== null ? "Set on the key" : "From the tier"}
    >
      {limitText(value)}
    </td>
  );
}

export function KeyLimitsCard({
  orgSlug,
  keys,
  tiers,
  orgCacheTtlSeconds,
  canWrite,
}: {
  orgSlug: string;
  keys: KeyLimitView[];
  tiers: TierView[];
  orgCacheTtlSeconds: number;
  canWrite: boolean;
}) {
  const [editing, setEditing] = useState<KeyLimitView | null>(null);
  return (
    <Card
      id="key-limits"
      title="API key limits"
      description="Per key: a tier, and values of its own that win over the tier's. Bold values are set on the key, grey ones come from its tier."
    >
      {keys.length === 0 ? (
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-zinc-600">
            This organization has no API keys yet: create one, then limit it here.
          </p>
          <ButtonLink size="sm" variant="secondary" href={`/orgs/${orgSlug}/keys`}>
            Go to API keys
          </ButtonLink>
        </div>
      ) : (
        <div className="-mx-5 -my-4">
          <Table bare label="API key limits">
            <THead>
              <TR>
                <TH>Key</TH>
                <TH>Tier</TH>
                {MEASURES.map((m) => (
                  <TH key={m.key} className="text-right">
                    {m.short}
                  </TH>
                ))}
                <TH className="text-right">Cache TTL</TH>
                {canWrite ? (
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                ) : null}
              </TR>
            </THead>
            <TBody>
              {keys.map((k) => (
                <TR key={k.keyId}>
                  <TD wrap className="min-w-40">
                    <div className="font-medium text-zinc-900">{k.name}</div>
                    <div className="font-mono text-xs text-zinc-500">
                      {k.prefix}…{k.last4}
                      {k.status === "expired" ? <Badge className="ml-2">expired</Badge> : null}
                    </div>
                  </TD>
                  <TD>
                    {k.tier ? (
                      <Badge tone="brand">{k.tier.name}</Badge>
                    ) : (
                      <span className="text-zinc-400">—</span>
                    )}
                  </TD>
                  {MEASURES.map((m) => (
                    <MeasureCell key={m.key} k={k} measure={m.key} />
                  ))}
                  <TD className="text-right text-zinc-600 tabular-nums">
                    {k.cacheTtlSeconds !== null ? (
                      durationText(k.cacheTtlSeconds)
                    ) : (
                      <span className="text-zinc-400">default</span>
                    )}
                  </TD>
                  {canWrite ? (
                    <TD className="text-right">
                      <Button
                        variant="ghost"
                        size="sm"
                        onClick={() => setEditing(k)}
                        aria-label={`Edit limits of ${k.name}`}
                      >
                        Edit
                      </Button>
                    </TD>
                  ) : null}
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      )}
      <KeyLimitsDialog
        orgSlug={orgSlug}
        keyLimits={editing}
        tiers={tiers}
        orgCacheTtlSeconds={orgCacheTtlSeconds}
        onClose={() => setEditing(null)}
      />
    </Card>
  );
}
