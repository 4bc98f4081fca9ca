"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "~/components/badge";
import { Dialog } from "~/components/dialog";
import { LoadingBlock } from "~/components/spinner";
import { Time } from "~/components/time";
import { useTRPC } from "~/trpc/react";
import { policyToYaml } from "../policy-document";

/** Every version of a policy: who changed it, when, and what it was. */
export function PolicyHistoryDialog({
  orgSlug,
  policyId,
  onClose,
}: {
  orgSlug: string;
  policyId: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.policies.versions.queryOptions({ orgSlug, policyId }));
  return (
    <Dialog open onClose={onClose} size="lg" title={`History of ${policyId}`} testId="policy-history">
      {versions.isPending ? (
        <LoadingBlock />
      ) : (
        <ol className="space-y-3">
          {(versions.data ?? []).map((v) => (
            <li key={`${v.version}-${v.change}`} className="rounded-md border border-zinc-200">
              <div className="flex flex-wrap items-center gap-2 border-b border-zinc-100 px-3 py-2 text-sm">
                <span className="font-medium text-zinc-900">Version {v.version}</span>
                <Badge tone={v.change === "deleted" ? "danger" : v.change === "created" ? "success" : "neutral"}>
                  {v.change}
                </Badge>
                <span className="text-zinc-500">by {v.actorLabel}</span>
                <span className="ml-auto text-xs text-zinc-500">
                  <Time value={v.createdAt} mode="datetime" />
                </span>
              </div>
              {v.definition ? (
                <details className="px-3 py-2">
                  <summary className="cursor-pointer text-xs text-zinc-600">Show the policy as saved</summary>
                  <pre className="mt-2 overflow-x-auto rounded bg-zinc-50 p-2 font-mono text-xs text-zinc-800">
                    {policyToYaml(v.definition)}
                  </pre>
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Dialog>
  );
}
